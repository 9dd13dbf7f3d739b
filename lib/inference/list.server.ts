import "server-only";
import type { ClickHouseClient } from "@clickhouse/client";
import { z } from "zod";
import { count, queryRows } from "@/lib/clickhouse/rows.server";
import { inferenceConditions, whereSql, type FilterOptions, type InferenceLogFilter } from "./filter";
import { inferenceListRow, inferenceSnapshot, type InferenceListRow, type InferenceSnapshot } from "./rows";

/**
 * Reads of many inferences by filter (lib/inference/filter.ts): the browser's pages, counts and
 * samples for labelling queues, distinct values for filter menus.
 */

/**
 * Rows newest first by (timestamp, id), at most `limit` (the browser asks for one more than it
 * shows, to know whether there is a next page); the preview is the output's text, cut to
 * PREVIEW_CHARS + 1 characters, so a reader knows it was cut when it is longer than PREVIEW_CHARS.
 */
export const PREVIEW_CHARS = 160;

export async function listInferenceRows(
  client: ClickHouseClient,
  filter: InferenceLogFilter,
  options: { limit: number } & FilterOptions,
): Promise<InferenceListRow[]> {
  const where = inferenceConditions(filter, options);
  const query = `SELECT id, episode_id, timestamp, function_name, variant_name, model_name, status, latency_ms, input_tokens, output_tokens,
      cost, cached, substringUTF8(if(isValidJSON(output), JSONExtractString(output, 'content'), output), 1, {preview:UInt32}) AS preview
    FROM inferences ${whereSql(where)}
    ORDER BY timestamp DESC, id DESC LIMIT {limit:UInt32}`;
  return queryRows(client, query, { ...where.params, limit: options.limit, preview: PREVIEW_CHARS + 1 }, inferenceListRow);
}

export async function countInferences(client: ClickHouseClient, filter: InferenceLogFilter, options: FilterOptions = {}): Promise<number> {
  const where = inferenceConditions(filter, options);
  const [row] = await queryRows(client, `SELECT count() AS n FROM inferences ${whereSql(where)}`, where.params, z.object({ n: count }));
  return row?.n ?? 0;
}

/**
 * Snapshots of the matching inferences, input and output cut to `maxChars` characters. A sample
 * orders by `cityHash64(id, seed)`, so the same seed over the same data gives the same sample (in
 * a shuffled order); otherwise rows come oldest first.
 */
export async function selectInferenceSnapshots(
  client: ClickHouseClient,
  filter: InferenceLogFilter,
  options: { sample?: { seed?: number }; limit: number; maxChars: number },
): Promise<InferenceSnapshot[]> {
  const where = inferenceConditions(filter);
  const order = options.sample ? "ORDER BY cityHash64(id, {seed:UInt32})" : "ORDER BY timestamp, id";
  // No alias may shadow a column the WHERE clause reads (ClickHouse substitutes aliases there).
  const query = `SELECT id, episode_id, function_name, variant_name, model_name,
                   substringUTF8(input, 1, {max:UInt32}) AS input_snapshot, substringUTF8(output, 1, {max:UInt32}) AS output_snapshot,
                   timestamp
            FROM inferences ${whereSql(where)} ${order} LIMIT {limit:UInt32}`;
  const params = { ...where.params, seed: options.sample?.seed ?? 0, max: options.maxChars, limit: options.limit };
  return queryRows(client, query, params, inferenceSnapshot);
}

/** Distinct ids of the matching inferences, at most `limit` (in no particular order). */
export async function listInferenceIds(client: ClickHouseClient, filter: InferenceLogFilter, limit: number): Promise<string[]> {
  const where = inferenceConditions(filter);
  // The alias `iid` does not shadow `id`, which a filter may read.
  const query = `SELECT DISTINCT toString(id) AS iid FROM inferences ${whereSql(where)} LIMIT {limit:UInt32}`;
  return (await queryRows(client, query, { ...where.params, limit }, z.object({ iid: z.string() }))).map((r) => r.iid);
}

/** The models the matching inferences used, sorted, at most 500. */
export async function listModelNames(client: ClickHouseClient, filter: InferenceLogFilter, options: FilterOptions = {}): Promise<string[]> {
  const where = inferenceConditions(filter, options);
  const query = `SELECT DISTINCT model_name AS name FROM inferences ${whereSql(where)} ORDER BY name LIMIT 500`;
  return (await queryRows(client, query, where.params, z.object({ name: z.string() }))).map((r) => r.name);
}
