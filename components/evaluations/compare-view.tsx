"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { QueryState } from "@/components/ui/query-state";
import { TBody, THead, Table, Td, Th, Tr } from "@/components/ui/table";
import { itemInputText } from "@/lib/datasets/display";
import { evaluationsApi } from "@/lib/evaluations/api-client";
import { queryKeys } from "@/lib/query/keys";
import { ci, num, pct } from "./format";
import { SummaryTable } from "./summary-table";
import { WordDiff } from "./word-diff";

/** Two or more arms on one dataset version: paired differences, regressions first, outputs side by side. */
export function CompareView({ arms }: { arms: string[] }) {
  const [offset, setOffset] = useState(0);
  const query = useQuery({ queryKey: [...queryKeys.evaluationCompare(arms), offset], queryFn: () => evaluationsApi.compare(arms, offset) });
  return (
    <QueryState query={query} errorTitle="Could not compare these runs">
      {(cmp) => {
        const base = cmp.arms[0]!;
        return (
          <div className="space-y-6">
            <SummaryTable
              caption="Arms (the first is the baseline)"
              summary={cmp.arms.map((a) => ({ ...a.summary, candidate: a.label }))}
            />
            {cmp.comparisons.map((c) => (
              <section key={c.arm} aria-label={`${c.arm} against ${base.label}`}>
                <h2 className="mb-2 text-base font-semibold">
                  {c.arm} against {base.label}: {c.pairs} paired items,{" "}
                  <span className={c.overall.regressions.length ? "text-danger" : ""}>{c.overall.regressions.length} regressions</span>,{" "}
                  {c.overall.improvements.length} improvements
                </h2>
                <Table caption={`Paired differences, ${c.arm} − ${base.label}`}>
                  <THead>
                    <Tr>
                      <Th>Evaluator</Th>
                      <Th className="text-right">Δ mean (95% CI)</Th>
                      <Th className="text-right">p (paired t)</Th>
                      <Th className="text-right">Δ pass rate (95% CI)</Th>
                      <Th className="text-right">p (McNemar)</Th>
                      <Th className="text-right">Regressed / improved</Th>
                      <Th>Verdict</Th>
                    </Tr>
                  </THead>
                  <TBody>
                    {c.evaluators.map((e) => (
                      <Tr key={e.evaluator}>
                        <Td className="font-medium">{e.evaluator}</Td>
                        <Td numeric>
                          {num(e.meanDiff)} <span className="text-xs text-muted-foreground">{ci(e.meanDiffCi)}</span>
                        </Td>
                        <Td numeric>{num(e.tPValue, 4)}</Td>
                        <Td numeric>
                          {pct(e.passDiff)} <span className="text-xs text-muted-foreground">{ci(e.passDiffCi, true)}</span>
                        </Td>
                        <Td numeric>{num(e.mcnemarPValue, 4)}</Td>
                        <Td numeric>
                          {e.regressions} / {e.improvements}
                        </Td>
                        <Td>
                          {e.significantRegression ? (
                            <Badge tone="danger">significant regression</Badge>
                          ) : (e.meanDiff ?? 0) > 0 && (e.tPValue ?? 1) < 0.05 ? (
                            <Badge tone="success">significant improvement</Badge>
                          ) : (
                            <Badge>no significant difference</Badge>
                          )}
                        </Td>
                      </Tr>
                    ))}
                  </TBody>
                </Table>
              </section>
            ))}
            <Table caption={`Items, regressions first (${cmp.totalRows})`}>
              <THead>
                <Tr>
                  <Th>#</Th>
                  <Th>Input</Th>
                  {cmp.arms.map((a) => (
                    <Th key={a.label}>{a.label}</Th>
                  ))}
                </Tr>
              </THead>
              <TBody>
                {cmp.rows.map((row) => {
                  const before = row.cells[base.label]?.output ?? "";
                  return (
                    <Tr key={row.position} data-kind={row.kind}>
                      <Td numeric>
                        {row.position + 1}
                        {row.kind !== "same" ? (
                          <div>
                            <Badge tone={row.kind === "regression" ? "danger" : "success"}>{row.kind}</Badge>
                          </div>
                        ) : null}
                      </Td>
                      <Td className="max-w-xs text-xs whitespace-pre-wrap">
                        {itemInputText(row.input)}
                        {row.expected ? <div className="mt-1 text-muted-foreground">expected: {row.expected}</div> : null}
                      </Td>
                      {cmp.arms.map((a, i) => {
                        const cell = row.cells[a.label];
                        return (
                          <Td key={a.label} className="max-w-sm text-xs">
                            <span className={cell?.passed === false ? "text-danger" : cell?.passed ? "text-success" : ""}>
                              {cell?.passed === null || cell === undefined ? "…" : cell.passed ? "✓ " : "✗ "}
                            </span>
                            {i === 0 ? (
                              <span className="whitespace-pre-wrap">{before}</span>
                            ) : (
                              <WordDiff before={before} after={cell?.output ?? ""} />
                            )}
                            {cell?.inferenceId ? (
                              <>
                                {" "}
                                <Link className="underline" href={`/inferences/${cell.inferenceId}`}>
                                  inference
                                </Link>
                              </>
                            ) : null}
                          </Td>
                        );
                      })}
                    </Tr>
                  );
                })}
              </TBody>
            </Table>
            <div className="flex gap-2">
              <Button size="sm" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - 50))}>
                Previous
              </Button>
              <Button size="sm" disabled={offset + 50 >= cmp.totalRows} onClick={() => setOffset(offset + 50)}>
                Next
              </Button>
            </div>
          </div>
        );
      }}
    </QueryState>
  );
}
