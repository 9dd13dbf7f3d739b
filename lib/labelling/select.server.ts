import "server-only";
import type { ClickHouseClient } from "@clickhouse/client";
import { toClickHouseTime } from "@/lib/inference/tables";
import { LIMITS, type InferenceFilter } from "./schemas";

/**
 * Picks the inferences of a queue from the gateway's log. Every value is a `{name:Type}`
 * parameter. A sample orders by `cityHash64(id, seed)`, so the same seed over the same data gives
 * the same sample (and a shuffled labelling order); otherwise items come oldest first.
 */

export interface SelectedInference {
  id: string;
  episode_id: string;
  function_name: string;
  variant_name: string;
  model_name: string;
  input: string;
  output: string;
  timestamp: string;
}

function whereClause(filter: InferenceFilter): { sql: string; params: Record<string, unknown> } {
  const conditions: string[] = [];
  const params: Record<string, unknown> = {};
  if (!filter.includeErrors) conditions.push("status = 'ok'");
  if (filter.function) {
    conditions.push("function_name = {fn:String}");
    params.fn = filter.function;
  }
  if (filter.variant) {
    conditions.push("variant_name = {variant:String}");
    params.variant = filter.variant;
  }
  if (filter.from) {
    conditions.push("timestamp >= {from:DateTime64(3, 'UTC')}");
    params.from = toClickHouseTime(new Date(filter.from));
  }
  if (filter.to) {
    conditions.push("timestamp < {to:DateTime64(3, 'UTC')}");
    params.to = toClickHouseTime(new Date(filter.to));
  }
  Object.entries(filter.tags ?? {}).forEach(([key, value], i) => {
    conditions.push(`tags[{tk${i}:String}] = {tv${i}:String}`);
    params[`tk${i}`] = key;
    params[`tv${i}`] = value;
  });
  if (filter.missingFeedback) {
    conditions.push("id NOT IN (SELECT target_id FROM feedback_by_target WHERE metric_name = {missing:String})");
    params.missing = filter.missingFeedback;
  }
  return { sql: conditions.length ? `WHERE ${conditions.join(" AND ")}` : "", params };
}

export async function countInferences(client: ClickHouseClient, filter: InferenceFilter): Promise<number> {
  const where = whereClause(filter);
  const result = await client.query({
    query: `SELECT count() AS n FROM inferences ${where.sql}`,
    query_params: where.params,
    format: "JSONEachRow",
  });
  const [row] = await result.json<{ n: number | string }>();
  return Number(row?.n ?? 0);
}

export async function selectInferences(
  client: ClickHouseClient,
  filter: InferenceFilter,
  options: { sample?: { size: number; seed?: number }; limit: number },
): Promise<SelectedInference[]> {
  const where = whereClause(filter);
  const order = options.sample ? "ORDER BY cityHash64(id, {seed:UInt32})" : "ORDER BY timestamp, id";
  const result = await client.query({
    // No alias may shadow a column the WHERE clause reads (ClickHouse substitutes aliases there).
    query: `SELECT id, episode_id, function_name, variant_name, model_name,
                   substringUTF8(input, 1, {max:UInt32}) AS input_snapshot, substringUTF8(output, 1, {max:UInt32}) AS output_snapshot,
                   timestamp
            FROM inferences ${where.sql} ${order} LIMIT {limit:UInt32}`,
    query_params: { ...where.params, seed: options.sample?.seed ?? 0, max: LIMITS.maxSnapshotChars, limit: options.limit },
    format: "JSONEachRow",
  });
  const found = await result.json<Omit<SelectedInference, "input" | "output"> & { input_snapshot: string; output_snapshot: string }>();
  return found.map(({ input_snapshot, output_snapshot, ...rest }) => ({ ...rest, input: input_snapshot, output: output_snapshot }));
}
