"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Field, Input, Select } from "@/components/ui/field";
import { QueryState } from "@/components/ui/query-state";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { formatUtc } from "@/lib/analytics/format";
import { inferencePageState, inferencesApiUrl, type InferencePageState } from "@/lib/analytics/page-state";
import { inferenceFacetsSchema, inferencePageSchema } from "@/lib/analytics/schemas";
import { formatValue } from "@/lib/charts/format";
import { fetchJson } from "@/lib/query/fetch-json";
import { queryKeys } from "@/lib/query/keys";
import type { SearchPatch } from "@/lib/url/search-params";
import { useSearchState } from "@/lib/url/use-search-state";
import { RangePicker } from "./range-picker";
import { TagFilter } from "./tag-filter";
import { Can } from "@/components/auth/can";

function Choice({
  label,
  value,
  options,
  onChange,
}: {
  label: string;
  value: string | undefined;
  options: string[];
  onChange: (v: string | null) => void;
}) {
  return (
    <Field label={label}>
      {(p) => (
        <Select {...p} value={value ?? ""} onChange={(e) => onChange(e.target.value || null)}>
          <option value="">Any</option>
          {[...new Set([...(value ? [value] : []), ...options])].map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </Select>
      )}
    </Field>
  );
}

function FeedbackFilter({ state, metrics, update }: { state: InferencePageState; metrics: string[]; update: (p: SearchPatch) => void }) {
  const [metric, setMetric] = useState(state.metric ?? "");
  const [op, setOp] = useState(state.op ?? "gte");
  const [value, setValue] = useState(state.value ?? "");
  const bad = metric !== "" && (value.trim() === "" || !Number.isFinite(Number(value)));
  return (
    <form
      className="flex flex-wrap items-end gap-2"
      aria-label="Feedback filter"
      onSubmit={(e) => {
        e.preventDefault();
        if (!bad) update({ metric: metric || null, op: metric ? op : null, value: metric ? value.trim() : null, cursor: null });
      }}
    >
      <Field label="Feedback metric">
        {(p) => (
          <Select {...p} value={metric} onChange={(e) => setMetric(e.target.value)}>
            <option value="">Any</option>
            {[...new Set([...(state.metric ? [state.metric] : []), ...metrics])].map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </Select>
        )}
      </Field>
      <Field label="Comparison">
        {(p) => (
          <Select {...p} value={op} onChange={(e) => setOp(e.target.value === "eq" ? "eq" : e.target.value === "lte" ? "lte" : "gte")}>
            <option value="gte">≥</option>
            <option value="eq">=</option>
            <option value="lte">≤</option>
          </Select>
        )}
      </Field>
      <Field label="Value" error={bad ? "a number (1/0 for booleans)" : undefined}>
        {(p) => <Input {...p} inputMode="decimal" className="w-24" value={value} onChange={(e) => setValue(e.target.value)} />}
      </Field>
      <Button type="submit" disabled={bad}>
        Apply
      </Button>
    </form>
  );
}

/**
 * Text in the input or output (any case; `%` and `_` match themselves), within the chosen time
 * range: served by the n-gram index of db/clickhouse/0009. Empty clears it.
 */
function TextSearch({ value, onChange }: { value: string | undefined; onChange: (v: string | null) => void }) {
  const [text, setText] = useState(value ?? "");
  return (
    <form
      role="search"
      aria-label="Search inference text"
      className="flex items-end gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        onChange(text.trim() || null);
      }}
    >
      <Field label="Text in input or output" hint="Any case; only in the chosen time range">
        {(p) => (
          <Input
            {...p}
            type="search"
            className="w-64"
            maxLength={200}
            placeholder="words…"
            value={text}
            onChange={(e) => setText(e.target.value)}
          />
        )}
      </Field>
      <Button type="submit">Search</Button>
    </form>
  );
}

/** The end user a client named in OpenAI's `user` parameter (exact match; empty clears it). */
function UserFilter({ value, onChange }: { value: string | undefined; onChange: (v: string | null) => void }) {
  const [text, setText] = useState(value ?? "");
  return (
    <form
      className="flex items-end gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        onChange(text.trim() || null);
      }}
    >
      <Field label="End user">
        {(p) => <Input {...p} className="w-40" placeholder="user" value={text} onChange={(e) => setText(e.target.value)} />}
      </Field>
    </form>
  );
}

export function InferenceBrowser() {
  const [state, update] = useSearchState(inferencePageState);
  const url = inferencesApiUrl(state);
  const facetsUrl = inferencesApiUrl(state, "/api/inferences/facets");
  const page = useQuery({ queryKey: queryKeys.inferences(url), queryFn: () => fetchJson(url, inferencePageSchema) });
  const facets = useQuery({ queryKey: queryKeys.inferenceFacets(facetsUrl), queryFn: () => fetchJson(facetsUrl, inferenceFacetsSchema) });
  const f = facets.data ?? { functions: [], variants: [], models: [], metrics: [] };
  const set = (key: string) => (v: string | null) => update({ [key]: v, cursor: null });
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end gap-3">
        <RangePicker state={state} onChange={update} />
        <Choice
          label="Function"
          value={state.function}
          options={f.functions}
          onChange={(v) => update({ function: v, variant: null, cursor: null })}
        />
        <Choice label="Variant" value={state.variant} options={f.variants} onChange={set("variant")} />
        <Choice label="Model" value={state.model} options={f.models} onChange={set("model")} />
        <Choice label="Status" value={state.status} options={["ok", "error"]} onChange={set("status")} />
        <UserFilter key={state.user ?? ""} value={state.user} onChange={set("user")} />
        <TextSearch key={state.q ?? ""} value={state.q} onChange={set("q")} />
      </div>
      <div className="flex flex-wrap items-end gap-6">
        <TagFilter tags={state.tag} onChange={(tag) => update({ tag, cursor: null })} />
        <FeedbackFilter key={`${state.metric}-${state.op}-${state.value}`} state={state} metrics={f.metrics} update={update} />
      </div>
      <QueryState query={page} loading={<Skeleton rows={10} label="Loading inferences" />} errorTitle="Could not load inferences">
        {(data) =>
          data.items.length === 0 ? (
            <EmptyState title="No inferences match">
              <p>Widen the time range or clear some filters. Inferences appear here as the gateway records them.</p>
            </EmptyState>
          ) : (
            <>
              <p className="text-sm" aria-live="polite">
                <strong>{data.total.toLocaleString("en-US")}</strong> {data.total === 1 ? "inference matches" : "inferences match"}
                {state.q ? <> the text “{state.q}”</> : null} in this range
              </p>
              <Table caption="Inferences, newest first">
                <THead>
                  <tr>
                    <Th>Time (UTC)</Th>
                    <Th>Function / variant</Th>
                    <Th>Model</Th>
                    <Th>Status</Th>
                    <Th className="text-right">Latency</Th>
                    <Th className="text-right">Tokens in / out</Th>
                    <Th className="text-right">Cost</Th>
                    <Th>Output</Th>
                  </tr>
                </THead>
                <TBody>
                  {data.items.map((r) => (
                    <Tr key={r.id}>
                      <Td className="whitespace-nowrap">
                        <Link
                          href={`/inferences/${r.id}`}
                          className="text-primary underline-offset-2 hover:underline"
                          aria-label={`Inference ${r.id}`}
                        >
                          {formatUtc(r.timestamp, true).replace(" UTC", "")}
                        </Link>
                      </Td>
                      <Td>
                        {r.functionName} / {r.variantName}
                      </Td>
                      <Td>{r.modelName}</Td>
                      <Td>
                        <Badge tone={r.status === "ok" ? "success" : "danger"}>{r.status}</Badge> {r.cached ? <Badge>cached</Badge> : null}
                      </Td>
                      <Td numeric>{formatValue(r.latencyMs, "ms")}</Td>
                      <Td numeric>
                        {formatValue(r.inputTokens, "tokens")} / {formatValue(r.outputTokens, "tokens")}
                      </Td>
                      <Td numeric>{formatValue(r.cost, "usd")}</Td>
                      <Td className="text-muted-foreground">
                        {/* A block with a width: a table cell alone does not clip with an ellipsis. */}
                        <div className="max-w-md truncate" title={r.preview}>
                          {r.preview}
                        </div>
                      </Td>
                    </Tr>
                  ))}
                </TBody>
              </Table>
              <nav aria-label="Pages" className="flex items-center gap-2">
                <Button disabled={!state.cursor} onClick={() => update({ cursor: null }, { push: true })}>
                  Newest
                </Button>
                <Button disabled={!data.next} onClick={() => update({ cursor: data.next }, { push: true })}>
                  Older →
                </Button>
                <span className="text-xs text-muted-foreground">
                  {data.items.length} shown · use the browser&apos;s Back to return to newer pages
                </span>
                <Can permission="edit">
                  <Link className="text-xs underline" href={`/datasets/from-inferences?ids=${data.items.map((r) => r.id).join(",")}`}>
                    Save these as a dataset
                  </Link>
                </Can>
              </nav>
            </>
          )
        }
      </QueryState>
    </div>
  );
}
