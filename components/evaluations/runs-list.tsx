"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { QueryState } from "@/components/ui/query-state";
import { TBody, THead, Table, Td, Th, Tr } from "@/components/ui/table";
import { evaluationsApi } from "@/lib/evaluations/api-client";
import { queryKeys } from "@/lib/query/keys";
import { STATUS_TONE, when } from "./format";
import { RunProgress } from "./run-progress";

/** Every evaluation run, newest first; pick two or more to compare. Refreshes while any runs. */
export function RunsList() {
  const query = useQuery({
    queryKey: queryKeys.evaluations(),
    queryFn: evaluationsApi.list,
    refetchInterval: (q) => (q.state.data?.some((r) => r.status === "queued" || r.status === "running") ? 1500 : false),
  });
  const [picked, setPicked] = useState<string[]>([]);
  return (
    <QueryState query={query} errorTitle="Could not load the evaluation runs">
      {(runs) =>
        runs.length === 0 ? (
          <EmptyState title="No evaluation runs yet">
            <p>Start one with “New run”, with `npx llmops eval run`, or import a promptfoo results.json.</p>
          </EmptyState>
        ) : (
          <>
            <div className="mb-2 flex items-center gap-2 text-sm">
              <span className="text-muted-foreground">{picked.length} selected</span>
              {picked.length >= 2 ? (
                <Link className="underline" href={`/evaluations/compare?${picked.map((p) => `arms=${p}`).join("&")}`}>
                  Compare selected
                </Link>
              ) : (
                <span className="text-muted-foreground">(select two runs on the same dataset version to compare)</span>
              )}
            </div>
            <Table caption="Evaluation runs">
              <THead>
                <Tr>
                  <Th>
                    <span className="sr-only">Select</span>
                  </Th>
                  <Th>Run</Th>
                  <Th>Function</Th>
                  <Th>Candidates</Th>
                  <Th>Dataset</Th>
                  <Th>Status</Th>
                  <Th>Progress</Th>
                  <Th>Created</Th>
                </Tr>
              </THead>
              <TBody>
                {runs.map((r) => (
                  <Tr key={r.id}>
                    <Td>
                      <input
                        type="checkbox"
                        aria-label={`Select ${r.name}`}
                        checked={picked.includes(r.id)}
                        onChange={(e) => setPicked((p) => (e.target.checked ? [...p, r.id] : p.filter((x) => x !== r.id)))}
                      />
                    </Td>
                    <Td>
                      <Link className="font-medium hover:underline" href={`/evaluations/${r.id}`}>
                        {r.name}
                      </Link>
                      {r.source === "promptfoo" ? <span className="ml-2 text-xs text-muted-foreground">promptfoo</span> : null}
                    </Td>
                    <Td>{r.function}</Td>
                    <Td className="text-xs">{r.candidates.join(", ")}</Td>
                    <Td className="text-xs">{r.dataset ? `${r.dataset.name} v${r.dataset.version}` : "—"}</Td>
                    <Td>
                      <Badge tone={STATUS_TONE[r.status]}>{r.status}</Badge>
                    </Td>
                    <Td>
                      <RunProgress progress={r.progress} />
                    </Td>
                    <Td>{when(r.createdAt)}</Td>
                  </Tr>
                ))}
              </TBody>
            </Table>
          </>
        )
      }
    </QueryState>
  );
}
