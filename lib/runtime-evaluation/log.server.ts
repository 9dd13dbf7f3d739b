import "server-only";
import type { ClickHouseClient } from "@clickhouse/client";
import { loadInferencesForJudging, type JudgedInference } from "@/lib/inference/lookups.server";

export type LoggedInference = JudgedInference;

/** The inferences of claimed jobs, in one query bounded by their functions and times (the table's sort key). */
export async function loadInferences(
  client: ClickHouseClient,
  jobs: { functionName: string; inferenceId: string; inferenceAt: number }[],
): Promise<Map<string, LoggedInference>> {
  if (!jobs.length) return new Map();
  const times = jobs.map((j) => j.inferenceAt);
  const found = await loadInferencesForJudging(client, {
    ids: jobs.map((j) => j.inferenceId),
    functionNames: [...new Set(jobs.map((j) => j.functionName))],
    // A second either side: [min - 1 s, max + 1 s] (the end is exclusive, hence the extra ms).
    from: Math.min(...times) - 1000,
    to: Math.max(...times) + 1001,
  });
  return new Map(found.map((r) => [r.id, r]));
}
