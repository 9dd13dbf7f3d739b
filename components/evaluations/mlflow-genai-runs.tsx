"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { QueryState } from "@/components/ui/query-state";
import { TBody, THead, Table, Td, Th, Tr } from "@/components/ui/table";
import { evaluationsApi } from "@/lib/evaluations/api-client";
import type { MlflowGenaiRunEntry } from "@/lib/evaluations/schemas";
import { queryKeys } from "@/lib/query/keys";
import { num, when } from "./format";

const RUN_TONE: Record<string, "neutral" | "warning" | "success" | "danger"> = {
  RUNNING: "warning",
  SCHEDULED: "neutral",
  FINISHED: "success",
  FAILED: "danger",
  KILLED: "neutral",
};

/** The scorers' aggregates genai.evaluate logs (`<scorer>/mean`), the headline figure of each. */
function scorerMeans(metrics: MlflowGenaiRunEntry["metrics"]): [string, number][] {
  return Object.entries(metrics)
    .filter(([key]) => key.endsWith("/mean"))
    .sort(([a], [b]) => a.localeCompare(b));
}

/** Runs MLflow's own `mlflow.genai.evaluate` logged here, with their scorers' means and traces. */
export function MlflowGenaiRuns() {
  const query = useQuery({ queryKey: queryKeys.evaluationsMlflowGenai(), queryFn: evaluationsApi.mlflowGenai });
  return (
    <QueryState query={query} errorTitle="Could not load the mlflow.genai.evaluate runs">
      {(runs) =>
        runs.length === 0 ? (
          <EmptyState title="No mlflow.genai.evaluate runs yet">
            <p>Point MLflow&apos;s Python client at this server (MLFLOW_TRACKING_URI) and call mlflow.genai.evaluate.</p>
          </EmptyState>
        ) : (
          <Table caption="Runs from mlflow.genai.evaluate">
            <THead>
              <Tr>
                <Th>Run</Th>
                <Th>Experiment</Th>
                <Th>Scorers (mean)</Th>
                <Th>Traces</Th>
                <Th>Status</Th>
                <Th>Started</Th>
              </Tr>
            </THead>
            <TBody>
              {runs.map((r) => (
                <Tr key={r.runId}>
                  <Td>
                    <Link className="font-medium hover:underline" href={`/experiments/${r.experimentId}/runs/${r.runId}`}>
                      {r.name || r.runId}
                    </Link>
                    <span className="ml-2 text-xs text-muted-foreground">mlflow.genai.evaluate</span>
                  </Td>
                  <Td>{r.experimentName}</Td>
                  <Td className="text-xs">
                    {scorerMeans(r.metrics).length
                      ? scorerMeans(r.metrics).map(([key, value]) => (
                          <div key={key}>
                            {key.slice(0, -"/mean".length)}: {num(value)}
                          </div>
                        ))
                      : "—"}
                  </Td>
                  <Td>
                    <Link className="hover:underline" href={`/traces?experiment=${r.experimentId}&run=${r.runId}`}>
                      {r.traces}
                    </Link>
                  </Td>
                  <Td>
                    <Badge tone={RUN_TONE[r.status] ?? "neutral"}>{r.status.toLowerCase()}</Badge>
                  </Td>
                  <Td>{when(r.startTime)}</Td>
                </Tr>
              ))}
            </TBody>
          </Table>
        )
      }
    </QueryState>
  );
}
