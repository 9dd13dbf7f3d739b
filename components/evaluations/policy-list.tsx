"use client";

import { useQuery } from "@tanstack/react-query";
import { Badge } from "@/components/ui/badge";
import { QueryState } from "@/components/ui/query-state";
import { TBody, THead, Table, Td, Th, Tr } from "@/components/ui/table";
import { evaluationsApi } from "@/lib/evaluations/api-client";

/** Promotion policies: what an alias move needs (managed through POST /api/evaluations/policies). */
export function PolicyList() {
  const query = useQuery({ queryKey: ["evaluations", "policies"], queryFn: evaluationsApi.policies });
  return (
    <QueryState query={query} errorTitle="Could not load the policies">
      {(policies) =>
        policies.length === 0 ? (
          <p className="text-sm text-muted-foreground">
            No promotion policy: alias moves are not gated. Add one with POST /api/evaluations/policies.
          </p>
        ) : (
          <Table caption="Promotion policies">
            <THead>
              <Tr>
                <Th>Target</Th>
                <Th>Alias</Th>
                <Th>Mode</Th>
                <Th>Evidence</Th>
                <Th>Conditions</Th>
              </Tr>
            </THead>
            <TBody>
              {policies.map((p) => (
                <Tr key={p.id}>
                  <Td>
                    {p.targetKind === "function" ? "function " : ""}
                    {p.targetName}
                  </Td>
                  <Td>@{p.alias}</Td>
                  <Td>
                    <Badge tone={p.mode === "enforce" ? "danger" : "warning"}>{p.mode}</Badge>
                  </Td>
                  <Td className="text-xs">
                    runs of {p.functionName} on {p.datasetName}
                  </Td>
                  <Td className="text-xs">
                    {p.conditions
                      .map((c) => (c.kind === "threshold" ? `${c.evaluator}/${c.stat} ${c.op} ${c.value}` : "no significant regression"))
                      .join("; ")}
                  </Td>
                </Tr>
              ))}
            </TBody>
          </Table>
        )
      }
    </QueryState>
  );
}
