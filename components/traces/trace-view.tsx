"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { z } from "zod";
import { Badge } from "@/components/ui/badge";
import { Card, CardTitle } from "@/components/ui/card";
import { KeyValueList } from "@/components/ui/key-value";
import { QueryState } from "@/components/ui/query-state";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { cn } from "@/components/ui/cn";
import { formatUtc } from "@/lib/analytics/format";
import { formatValue } from "@/lib/charts/format";
import { fetchJson } from "@/lib/query/fetch-json";
import { queryKeys } from "@/lib/query/keys";
import { traceViewSchema, type TraceView } from "@/lib/traces/schemas";
import { spanTree, timelineBar } from "@/lib/traces/span-tree";
import { useSearchState } from "@/lib/url/use-search-state";
import { SpanPanel } from "./span-panel";
import { StateBadge } from "./state-badge";

const viewState = z.object({ span: z.string().optional().catch(undefined) });

function SpanTree({ view, selected, select }: { view: TraceView; selected: string; select: (id: string) => void }) {
  const total = Math.max(view.trace.latencyMs, ...view.spans.map((s) => s.offsetMs + s.durationMs));
  return (
    <ol role="tree" aria-label="Span tree" className="divide-y divide-border self-start rounded-md border border-border text-sm">
      {spanTree(view.spans).map(({ span, depth }) => {
        const bar = timelineBar(span.offsetMs, span.durationMs, total);
        const active = span.spanId === selected;
        return (
          <li key={span.spanId} role="treeitem" aria-level={depth + 1} aria-selected={active}>
            <button
              type="button"
              onClick={() => select(span.spanId)}
              className={cn(
                "grid w-full grid-cols-[minmax(10rem,3fr)_2fr] items-center gap-3 px-2 py-1.5 text-left hover:bg-muted",
                active && "bg-muted",
              )}
            >
              <span className="flex min-w-0 items-center gap-1.5" style={{ paddingLeft: `${depth * 1.1}rem` }}>
                <span className={cn("truncate", span.status === "ERROR" && "text-danger")} title={span.name || undefined}>
                  {span.name || "(unnamed)"}
                </span>
                <Badge>{span.spanType}</Badge>
              </span>
              <span
                className="relative h-4 rounded bg-muted/60"
                aria-label={`${formatValue(span.durationMs, "ms")} from +${formatValue(span.offsetMs, "ms")}`}
              >
                <span
                  className={cn("absolute top-0.5 h-3 rounded", span.status === "ERROR" ? "bg-danger" : "bg-primary/70")}
                  style={{ left: `${bar.left}%`, width: `${bar.width}%` }}
                />
                <span className="absolute right-1 rounded bg-card/85 px-0.5 text-[10px] leading-4 text-foreground">
                  {formatValue(span.durationMs, "ms")}
                </span>
              </span>
            </button>
          </li>
        );
      })}
    </ol>
  );
}

function Assessments({ view }: { view: TraceView }) {
  if (view.assessments.length === 0)
    return (
      <p className="text-sm text-muted-foreground">
        No assessments yet (mlflow.log_feedback, mlflow.log_expectation, or evaluation scorers add them).
      </p>
    );
  return (
    <Table caption="Assessments">
      <THead>
        <tr>
          <Th>Name</Th>
          <Th>Type</Th>
          <Th>Value</Th>
          <Th>Rationale</Th>
          <Th>Source</Th>
          <Th>Updated</Th>
        </tr>
      </THead>
      <TBody>
        {view.assessments.map((a) => (
          <Tr key={a.assessmentId}>
            <Td>
              {a.name} {a.valid ? null : <Badge tone="warning">overridden</Badge>}
            </Td>
            <Td>{a.kind}</Td>
            <Td className="font-mono text-xs">{typeof a.value === "string" ? a.value : JSON.stringify(a.value)}</Td>
            <Td className="max-w-sm text-muted-foreground">{a.rationale}</Td>
            <Td className="text-xs">{a.source}</Td>
            <Td className="text-xs whitespace-nowrap">{a.time}</Td>
          </Tr>
        ))}
      </TBody>
    </Table>
  );
}

export function TraceViewPage({ id }: { id: string }) {
  const query = useQuery({
    queryKey: queryKeys.trace(id),
    queryFn: () => fetchJson(`/api/traces/${encodeURIComponent(id)}`, traceViewSchema),
  });
  const [state, update] = useSearchState(viewState, { shallow: true });
  return (
    <QueryState query={query} loading={<Skeleton rows={8} label="Loading trace" />} errorTitle="Could not load this trace">
      {(view) => {
        const t = view.trace;
        const selected = view.spans.find((s) => s.spanId === state.span) ?? view.spans.find((s) => !s.parentSpanId) ?? view.spans[0];
        return (
          <div className="space-y-4">
            <Card aria-label="Trace summary">
              <KeyValueList
                items={[
                  ["Status", <StateBadge state={t.state} />],
                  ["Started", formatUtc(t.startMs, true)],
                  ["Latency", formatValue(t.latencyMs, "ms")],
                  ["Spans", `${t.spanCount}${t.errorSpans ? ` (${t.errorSpans} failed)` : ""}`],
                  ["Tokens in / out", `${formatValue(t.inputTokens, "tokens")} / ${formatValue(t.outputTokens, "tokens")}`],
                  ["Cost", formatValue(t.cost, "usd")],
                  [
                    "Experiment",
                    <Link href={`/experiments/${t.experimentId}`} className="text-primary hover:underline">
                      {t.experimentId}
                    </Link>,
                  ],
                  [
                    "Session",
                    t.sessionId ? (
                      <Link href={`/traces/sessions/${encodeURIComponent(t.sessionId)}`} className="text-primary hover:underline">
                        {t.sessionId}
                      </Link>
                    ) : undefined,
                  ],
                  ["User", t.userId || undefined],
                  [
                    "Run",
                    view.metadata["mlflow.sourceRun"] ? (
                      <Link
                        href={`/experiments/${t.experimentId}/runs/${view.metadata["mlflow.sourceRun"]}`}
                        className="text-primary hover:underline"
                      >
                        {view.metadata["mlflow.sourceRun"]}
                      </Link>
                    ) : undefined,
                  ],
                ]}
              />
            </Card>
            {view.spans.length === 0 ? (
              <p className="text-sm text-muted-foreground">No spans received for this trace yet.</p>
            ) : (
              <div className="grid gap-4 xl:grid-cols-[minmax(0,1fr)_minmax(0,1fr)]">
                <SpanTree view={view} selected={selected?.spanId ?? ""} select={(span) => update({ span })} />
                {selected ? <SpanPanel span={selected} inferences={view.inferences} /> : null}
              </div>
            )}
            <Card aria-label="Assessments" className="space-y-2">
              <CardTitle>Assessments</CardTitle>
              <Assessments view={view} />
            </Card>
            <Card aria-label="Tags and metadata" className="space-y-2">
              <CardTitle>Tags and metadata</CardTitle>
              <KeyValueList
                items={[...Object.entries(view.tags), ...Object.entries(view.metadata)].map(([k, v]) => [
                  k,
                  <span className="font-mono text-xs">{v}</span>,
                ])}
              />
            </Card>
          </div>
        );
      }}
    </QueryState>
  );
}
