"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { QueryState } from "@/components/ui/query-state";
import { TBody, THead, Table, Td, Th, Tr } from "@/components/ui/table";
import { itemInputText } from "@/lib/datasets/display";
import { evaluationsApi } from "@/lib/evaluations/api-client";
import { queryKeys } from "@/lib/query/keys";
import { num } from "./format";

/** A run's items, 100 at a time, optionally only those that failed an evaluator or errored. */
export function ItemsTable({ id, failuresOnly, live }: { id: string; failuresOnly: boolean; live: boolean }) {
  const [offset, setOffset] = useState(0);
  const query = useQuery({
    queryKey: [...queryKeys.evaluationItems(id, failuresOnly ? "failures" : "all"), offset],
    queryFn: () => evaluationsApi.items(id, failuresOnly, offset),
    refetchInterval: live ? 2000 : false,
  });
  return (
    <QueryState query={query} errorTitle="Could not load the items">
      {({ items, total }) => (
        <>
          <Table caption={`${failuresOnly ? "Failed items" : "Items"} (${total})`}>
            <THead>
              <Tr>
                <Th>#</Th>
                <Th>Candidate</Th>
                <Th>Input</Th>
                <Th>Output</Th>
                <Th>Expected</Th>
                <Th>Scores</Th>
                <Th className="text-right">ms</Th>
              </Tr>
            </THead>
            <TBody>
              {items.map((i) => (
                <Tr key={i.id} data-passed={i.passed === null ? "" : String(i.passed)}>
                  <Td numeric>{i.position + 1}</Td>
                  <Td className="text-xs">{i.candidate}</Td>
                  <Td className="max-w-xs text-xs whitespace-pre-wrap">{itemInputText(i.input)}</Td>
                  <Td className="max-w-sm text-xs whitespace-pre-wrap">
                    {i.status === "error" ? (
                      <span className="text-danger">{i.error}</span>
                    ) : (
                      (i.output ?? <span className="text-muted-foreground">{i.status}</span>)
                    )}
                    {i.inferenceId ? (
                      <>
                        {" "}
                        <Link className="underline" href={`/inferences/${i.inferenceId}`}>
                          inference
                        </Link>
                      </>
                    ) : null}
                  </Td>
                  <Td className="max-w-xs text-xs whitespace-pre-wrap">{i.expected ?? "—"}</Td>
                  <Td className="text-xs">
                    {Object.entries(i.scores).map(([name, s]) => (
                      <div key={name} title={s.error ?? s.reason}>
                        <span className={s.pass ? "text-success" : "text-danger"}>{s.pass ? "✓" : "✗"}</span> {name} {num(s.score, 2)}
                      </div>
                    ))}
                  </Td>
                  <Td numeric>{i.latencyMs ?? "—"}</Td>
                </Tr>
              ))}
            </TBody>
          </Table>
          <div className="mt-2 flex gap-2">
            <Button size="sm" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - 100))}>
              Previous
            </Button>
            <Button size="sm" disabled={offset + 100 >= total} onClick={() => setOffset(offset + 100)}>
              Next
            </Button>
          </div>
        </>
      )}
    </QueryState>
  );
}
