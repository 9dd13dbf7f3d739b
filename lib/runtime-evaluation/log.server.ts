import "server-only";
import type { ClickHouseClient } from "@clickhouse/client";
import { toClickHouseTime } from "@/lib/inference/tables";

export interface LoggedInference {
  id: string;
  function_name: string;
  variant_name: string;
  input: string;
  output: string;
  latency_ms: number;
  cost: number;
}

/** The inferences of claimed jobs, in one query bounded by their functions and times (the table's sort key). */
export async function loadInferences(
  client: ClickHouseClient,
  jobs: { functionName: string; inferenceId: string; inferenceAt: number }[],
): Promise<Map<string, LoggedInference>> {
  if (!jobs.length) return new Map();
  const times = jobs.map((j) => j.inferenceAt);
  const result = await client.query({
    query: `SELECT id, function_name, variant_name, input, output, latency_ms, cost FROM inferences
            WHERE function_name IN {fns:Array(String)} AND timestamp >= {from:DateTime64(3)} AND timestamp <= {to:DateTime64(3)}
              AND id IN {ids:Array(UUID)}`,
    query_params: {
      fns: [...new Set(jobs.map((j) => j.functionName))],
      from: toClickHouseTime(new Date(Math.min(...times) - 1000)),
      to: toClickHouseTime(new Date(Math.max(...times) + 1000)),
      ids: jobs.map((j) => j.inferenceId),
    },
    format: "JSONEachRow",
  });
  const found = await result.json<LoggedInference>();
  return new Map(found.map((r) => [r.id, { ...r, latency_ms: Number(r.latency_ms), cost: Number(r.cost) }]));
}
