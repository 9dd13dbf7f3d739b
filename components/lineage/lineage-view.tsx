"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Field, Input, Select } from "@/components/ui/field";
import { QueryState } from "@/components/ui/query-state";
import { MAX_DEPTH } from "@/lib/lineage/schemas";
import { LINEAGE_LIMIT, fetchLineage, lineageState } from "@/lib/lineage/view-state";
import { queryKeys } from "@/lib/query/keys";
import { useSearchState } from "@/lib/url/use-search-state";
import { kindName } from "@/lib/lineage/cluster";
import type { LineageGraphReply } from "@/lib/lineage/schemas";
import { LineageGraph, lineageHref } from "./lineage-graph";

/** "not found" when the root's kind says it does not exist and nothing links to it; "gone" when edges outlived it. */
export function rootState(data: LineageGraphReply): "found" | "not-found" | "gone" {
  const root = data.nodes.find((n) => n.id === data.root);
  if (!root?.missing) return "found";
  return data.edges.length === 0 ? "not-found" : "gone";
}

export function useLineage(node: string, depth: number) {
  return useQuery({
    queryKey: queryKeys.lineage(node, depth),
    queryFn: () => fetchLineage(node, depth),
    enabled: node !== "",
    placeholderData: keepPreviousData,
  });
}

/** Asks for a node to trace when the URL names none (or to trace another). */
function NodeForm({ initial, onGo }: { initial: string; onGo: (node: string) => void }) {
  const [text, setText] = useState(initial);
  return (
    <form
      className="flex flex-wrap items-end gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        if (text.trim()) onGo(text.trim());
      }}
    >
      <Field
        label="Node (kind:id)"
        hint="e.g. run:5f0c…, prompt_version:ticket-summary/2, variant:summarize/concise, experiment:1"
        className="min-w-80 flex-1"
      >
        {(props) => <Input {...props} value={text} onChange={(e) => setText(e.target.value)} className="font-mono" />}
      </Field>
      <Button type="submit" variant="primary">
        Trace
      </Button>
    </form>
  );
}

export function LineageView({ starts }: { starts: { node: string; label: string }[] }) {
  const [state, update] = useSearchState(lineageState, { shallow: true });
  const graph = useLineage(state.node, state.depth);
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end gap-4">
        <NodeForm key={state.node} initial={state.node} onGo={(node) => update({ node }, { push: true })} />
        <Field label="Depth (hops)">
          {(props) => (
            <Select {...props} value={state.depth} onChange={(e) => update({ depth: e.target.value === "2" ? null : e.target.value })}>
              {Array.from({ length: MAX_DEPTH }, (_, i) => i + 1).map((d) => (
                <option key={d} value={d}>
                  {d}
                </option>
              ))}
            </Select>
          )}
        </Field>
      </div>
      {state.node === "" ? (
        <EmptyState title="Pick something to trace">
          <p>Enter a node above, or open the lineage of a run, prompt or model version from its page.</p>
          {starts.length ? (
            <ul className="mt-3 flex flex-wrap justify-center gap-2">
              {starts.map((s) => (
                <li key={s.node}>
                  <Link href={lineageHref(s.node)} className="rounded-full border border-border px-3 py-1 text-foreground hover:bg-muted">
                    {s.label}
                  </Link>
                </li>
              ))}
            </ul>
          ) : null}
        </EmptyState>
      ) : (
        <QueryState query={graph} errorTitle="Could not load this lineage">
          {(data) =>
            rootState(data) === "not-found" ? (
              <EmptyState title="Not found">
                <p>
                  There is no {kindName(data.nodes[0]?.kind ?? "")} <code className="font-mono">{data.nodes[0]?.key ?? data.root}</code>,
                  and nothing recorded links to it. Check the id, or start from one of the pages that link here.
                </p>
              </EmptyState>
            ) : (
              <>
                <p role="status" className="text-sm text-muted-foreground">
                  {data.nodes.length} nodes, {data.edges.length} edges within {data.depth} hop{data.depth === 1 ? "" : "s"}
                  {data.truncated ? ` · cut at ${LINEAGE_LIMIT} nodes: lower the depth or trace a closer node` : ""}
                </p>
                {rootState(data) === "gone" ? (
                  <p role="note" className="rounded-md border border-warning px-3 py-2 text-sm">
                    This {kindName(data.nodes.find((n) => n.id === data.root)?.kind ?? "")} no longer exists; the graph shows what was
                    recorded about it.
                  </p>
                ) : null}
                {data.nodes.length <= 1 ? (
                  <EmptyState title="No connections recorded for this node">
                    <p>
                      Edges appear when runs log inputs or parent runs, versions are registered from runs, and the gateway serves prompts.
                    </p>
                  </EmptyState>
                ) : null}
                <LineageGraph graph={data} />
                <details className="text-sm">
                  <summary className="cursor-pointer text-muted-foreground">All {data.nodes.length} nodes as a list</summary>
                  <ul className="mt-2 columns-1 gap-6 md:columns-2 xl:columns-3">
                    {data.nodes.map((n) => (
                      <li key={n.id} className="break-inside-avoid py-0.5">
                        <span className="text-xs text-muted-foreground">{n.kind}</span>{" "}
                        {n.href ? (
                          <Link href={n.href} className="text-primary hover:underline">
                            {n.label}
                          </Link>
                        ) : (
                          n.label
                        )}{" "}
                        {n.id !== data.root ? (
                          <Link href={lineageHref(n.id)} className="text-xs text-muted-foreground underline">
                            trace from here
                          </Link>
                        ) : null}
                      </li>
                    ))}
                  </ul>
                </details>
              </>
            )
          }
        </QueryState>
      )}
    </div>
  );
}
