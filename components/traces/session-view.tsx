"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { QueryState } from "@/components/ui/query-state";
import { Skeleton } from "@/components/ui/skeleton";
import { formatUtc } from "@/lib/analytics/format";
import { formatValue } from "@/lib/charts/format";
import { fetchJson } from "@/lib/query/fetch-json";
import { queryKeys } from "@/lib/query/keys";
import { sessionViewSchema } from "@/lib/traces/schemas";
import { StateBadge } from "./state-badge";

/** A session's traces and gateway inferences, oldest first, as one timeline. */
export function SessionViewPage({ id }: { id: string }) {
  const query = useQuery({
    queryKey: queryKeys.traceSession(id),
    queryFn: () => fetchJson(`/api/traces/sessions/${encodeURIComponent(id)}`, sessionViewSchema),
  });
  return (
    <QueryState query={query} loading={<Skeleton rows={6} label="Loading session" />} errorTitle="Could not load this session">
      {(view) =>
        view.items.length === 0 ? (
          <EmptyState title="Nothing in this session">
            <p>
              Traces join a session through the mlflow.trace.session metadata (or session.id, gen_ai.conversation.id); gateway inferences
              through their episode id.
            </p>
          </EmptyState>
        ) : (
          <ol aria-label="Session timeline" className="space-y-2">
            {view.items.map((item) => (
              <li
                key={item.kind === "trace" ? item.trace.traceId : item.id}
                className="rounded-md border border-border bg-card p-3 text-sm"
              >
                <div className="flex flex-wrap items-center gap-2">
                  <span className="text-xs text-muted-foreground">{formatUtc(item.timeMs, true)}</span>
                  <Badge>{item.kind}</Badge>
                  {item.kind === "trace" ? (
                    <>
                      <Link href={`/traces/${item.trace.traceId}`} className="font-medium text-primary hover:underline">
                        {item.trace.name || item.trace.traceId}
                      </Link>
                      <StateBadge state={item.trace.state} />
                      <span className="text-muted-foreground">
                        {formatValue(item.trace.latencyMs, "ms")} ·{" "}
                        {formatValue(item.trace.inputTokens + item.trace.outputTokens, "tokens")} tokens ·{" "}
                        {formatValue(item.trace.cost, "usd")}
                      </span>
                    </>
                  ) : (
                    <>
                      <Link href={`/inferences/${item.id}`} className="font-medium text-primary hover:underline">
                        {item.functionName} / {item.variantName}
                      </Link>
                      {item.traceId ? <span className="text-xs text-muted-foreground">in {item.traceId}</span> : null}
                    </>
                  )}
                </div>
                {item.kind === "trace" && item.trace.requestPreview ? (
                  <p className="mt-1 truncate text-muted-foreground" title={item.trace.requestPreview}>
                    {item.trace.requestPreview} → {item.trace.responsePreview}
                  </p>
                ) : null}
              </li>
            ))}
          </ol>
        )
      }
    </QueryState>
  );
}
