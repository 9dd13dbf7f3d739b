"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Field, Input, Select } from "@/components/ui/field";
import { QueryState } from "@/components/ui/query-state";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { formatUtc } from "@/lib/analytics/format";
import { formatValue } from "@/lib/charts/format";
import { fetchJson } from "@/lib/query/fetch-json";
import { queryKeys } from "@/lib/query/keys";
import { tracePageSchema, tracePageState, tracesApiUrl, type TracePageState } from "@/lib/traces/schemas";
import { useSearchState } from "@/lib/url/use-search-state";
import { StateBadge } from "./state-badge";

const TEXT_FIELDS = [
  ["experiment", "Experiment ID", "e.g. 3"],
  ["session", "Session", "mlflow.trace.session"],
  ["user", "User", "mlflow.trace.user"],
  ["run", "Run ID", "traces linked to a run"],
  ["q", "Text", "name, request or response"],
  ["minLatencyMs", "Latency ≥ (ms)", ""],
  ["maxLatencyMs", "Latency ≤ (ms)", ""],
] as const;

function Filters({ state, apply }: { state: TracePageState; apply: (next: Record<string, string | null>) => void }) {
  const [draft, setDraft] = useState<Record<string, string>>(() =>
    Object.fromEntries(TEXT_FIELDS.map(([key]) => [key, state[key] === undefined ? "" : String(state[key])])),
  );
  return (
    <form
      className="flex flex-wrap items-end gap-3"
      aria-label="Trace filters"
      onSubmit={(e) => {
        e.preventDefault();
        apply(Object.fromEntries(TEXT_FIELDS.map(([key]) => [key, draft[key]?.trim() || null])));
      }}
    >
      {TEXT_FIELDS.map(([key, label, hint]) => (
        <Field key={key} label={label}>
          {(p) => (
            <Input
              {...p}
              className={key.endsWith("Ms") || key === "experiment" ? "w-28" : "w-44"}
              placeholder={hint}
              inputMode={key.endsWith("Ms") ? "numeric" : undefined}
              value={draft[key] ?? ""}
              onChange={(e) => setDraft({ ...draft, [key]: e.target.value })}
            />
          )}
        </Field>
      ))}
      <Field label="Status">
        {(p) => (
          <Select {...p} value={state.status ?? ""} onChange={(e) => apply({ status: e.target.value || null })}>
            <option value="">Any</option>
            <option value="OK">OK</option>
            <option value="ERROR">ERROR</option>
            <option value="IN_PROGRESS">IN_PROGRESS</option>
          </Select>
        )}
      </Field>
      <Button type="submit">Search</Button>
    </form>
  );
}

export function TraceBrowser() {
  const [state, update] = useSearchState(tracePageState, { shallow: true });
  const url = tracesApiUrl(state);
  const page = useQuery({ queryKey: queryKeys.traces(url), queryFn: () => fetchJson(url, tracePageSchema) });
  return (
    <div className="space-y-4">
      <Filters key={url} state={state} apply={(next) => update({ ...next, page: null })} />
      <QueryState query={page} loading={<Skeleton rows={10} label="Loading traces" />} errorTitle="Could not load traces">
        {(data) =>
          data.items.length === 0 ? (
            <EmptyState title="No traces match">
              <p>
                Clear some filters, or send traces: MLflow clients with <code>MLFLOW_TRACKING_URI</code> pointing here, or any OpenTelemetry
                exporter posting to <code>/v1/traces</code> with an <code>x-mlflow-experiment-id</code> header.
              </p>
            </EmptyState>
          ) : (
            <>
              <Table caption="Traces, newest first">
                <THead>
                  <tr>
                    <Th>Started (UTC)</Th>
                    <Th>Name</Th>
                    <Th>Status</Th>
                    <Th className="text-right">Latency</Th>
                    <Th className="text-right">Spans</Th>
                    <Th className="text-right">Tokens in / out</Th>
                    <Th className="text-right">Cost</Th>
                    <Th>Session / user</Th>
                    <Th>Request</Th>
                  </tr>
                </THead>
                <TBody>
                  {data.items.map((t) => (
                    <Tr key={t.traceId}>
                      <Td className="whitespace-nowrap">
                        <Link
                          href={`/traces/${t.traceId}`}
                          className="text-primary underline-offset-2 hover:underline"
                          aria-label={`Trace ${t.traceId}`}
                        >
                          {formatUtc(t.startMs, true).replace(" UTC", "")}
                        </Link>
                      </Td>
                      <Td>{t.name || <span className="text-muted-foreground">(no root span yet)</span>}</Td>
                      <Td>
                        <StateBadge state={t.state} />
                      </Td>
                      <Td numeric>{formatValue(t.latencyMs, "ms")}</Td>
                      <Td numeric>{t.spanCount}</Td>
                      <Td numeric>
                        {formatValue(t.inputTokens, "tokens")} / {formatValue(t.outputTokens, "tokens")}
                      </Td>
                      <Td numeric>{formatValue(t.cost, "usd")}</Td>
                      <Td className="text-xs">
                        {t.sessionId ? (
                          <Link href={`/traces/sessions/${encodeURIComponent(t.sessionId)}`} className="text-primary hover:underline">
                            {t.sessionId}
                          </Link>
                        ) : null}
                        {t.userId ? <span className="block text-muted-foreground">{t.userId}</span> : null}
                      </Td>
                      <Td className="max-w-sm truncate text-muted-foreground" title={t.requestPreview}>
                        {t.requestPreview}
                      </Td>
                    </Tr>
                  ))}
                </TBody>
              </Table>
              <nav aria-label="Pages" className="flex items-center gap-2">
                <Button disabled={!state.page} onClick={() => update({ page: null }, { push: true })}>
                  Newest
                </Button>
                <Button disabled={!data.next} onClick={() => update({ page: data.next }, { push: true })}>
                  Older →
                </Button>
                <span className="text-xs text-muted-foreground">{data.items.length} shown</span>
              </nav>
            </>
          )
        }
      </QueryState>
    </div>
  );
}
