import "server-only";
import type { ClickHouseClient } from "@clickhouse/client";
import { z } from "zod";
import { count, queryRows, real } from "@/lib/clickhouse/rows.server";
import { inferenceConditions, whereSql } from "./filter";
import { DEMONSTRATION_METRIC } from "./tables";

/**
 * Reads of known inferences by id that other domains need (runtime evaluation, offline evaluation
 * cost, the Responses API's previous turn, datasets, lineage). Every value is a parameter; every row
 * is parsed with its schema here.
 */

const judgedRow = z.object({
  id: z.string(),
  function_name: z.string(),
  variant_name: z.string(),
  input: z.string(),
  output: z.string(),
  latency_ms: count,
  cost: real.transform((v) => v ?? 0),
});
export type JudgedInference = z.output<typeof judgedRow>;

/**
 * Inferences by id, read by the log's sort key: their functions and a time window [from, to)
 * around them (epoch ms) bound the scan.
 */
export async function loadInferencesForJudging(
  client: ClickHouseClient,
  query: { ids: string[]; functionNames: string[]; from: number; to: number },
): Promise<JudgedInference[]> {
  const where = inferenceConditions(query);
  return queryRows(
    client,
    `SELECT id, function_name, variant_name, input, output, latency_ms, cost FROM inferences ${whereSql(where)}`,
    where.params,
    judgedRow,
  );
}

const turnRow = z.object({
  input: z.string(),
  output: z.string(),
  episode_id: z.string(),
  function_name: z.string(),
  variant_name: z.string(),
  status: z.string(),
});
export type RecordedTurn = z.output<typeof turnRow>;

/** One inference's input and output, when it was recorded in [from, to) (epoch ms); undefined otherwise. */
export async function findTurn(
  client: ClickHouseClient,
  id: string,
  window: { from: number; to: number },
): Promise<RecordedTurn | undefined> {
  const where = inferenceConditions({ id, ...window });
  const [row] = await queryRows(
    client,
    `SELECT input, output, toString(episode_id) AS episode_id, function_name, variant_name, status FROM inferences ${whereSql(where)} LIMIT 1`,
    where.params,
    turnRow,
  );
  return row;
}

/** Sum of cost and number of an inference's model calls (0 calls: none recorded yet, or a cached answer). */
export async function modelCallTotals(client: ClickHouseClient, inferenceId: string): Promise<{ cost: number; calls: number }> {
  const [row] = await queryRows(
    client,
    "SELECT sum(cost) AS cost, count() AS calls FROM model_calls WHERE inference_id = {id:UUID}",
    { id: inferenceId },
    z.object({ cost: real, calls: count }),
  );
  return { cost: row?.cost ?? 0, calls: row?.calls ?? 0 };
}

const ioRow = z.object({ id: z.string(), input: z.string(), output: z.string() });

/** Input and output of each inference found among `ids`. */
export function loadInputsOutputs(client: ClickHouseClient, ids: string[]): Promise<z.output<typeof ioRow>[]> {
  return queryRows(client, "SELECT id, input, output FROM inferences WHERE id IN {ids:Array(UUID)} LIMIT 1 BY id", { ids }, ioRow);
}

const exampleRow = z.object({ id: z.string(), input: z.string(), output: z.string(), demonstration: z.string() });
export type InferenceExample = z.output<typeof exampleRow>;

/** Input, output and latest demonstration ("" if none) of each inference found among `ids`. */
export async function loadExamples(client: ClickHouseClient, ids: string[]): Promise<InferenceExample[]> {
  return queryRows(
    client,
    `SELECT toString(i.id) AS id, i.input AS input, i.output AS output, d.text AS demonstration
      FROM (SELECT id, input, output FROM inferences WHERE id IN {ids:Array(UUID)} LIMIT 1 BY id) AS i
      LEFT JOIN (
        SELECT target_id, argMax(text, timestamp) AS text FROM feedback
        WHERE target_id IN {ids:Array(UUID)} AND metric_name = {demo:String}
        GROUP BY target_id
      ) AS d ON d.target_id = i.id`,
    { ids, demo: DEMONSTRATION_METRIC },
    exampleRow,
  );
}

const usageRow = z.object({ f: z.string(), v: z.string(), p: z.string() });
const servedRow = z.object({ iid: z.string(), f: z.string(), v: z.string() });
export type PromptUse = z.output<typeof usageRow>;
export type ServedInference = z.output<typeof servedRow>;

/** (function, variant, prompt version) triples the log shows for these variants. */
export function promptVersionsOfVariants(client: ClickHouseClient, fns: string[], variants: string[], limit: number): Promise<PromptUse[]> {
  return queryRows(
    client,
    `SELECT function_name AS f, variant_name AS v, prompt_version AS p FROM inferences
      WHERE function_name IN {fns:Array(String)} AND variant_name IN {variants:Array(String)} AND prompt_version != ''
      GROUP BY f, v, p LIMIT {limit:UInt32}`,
    { fns, variants, limit },
    usageRow,
  );
}

/** (function, variant, prompt version) triples of the inferences that used these prompt versions. */
export function variantsUsingPromptVersions(client: ClickHouseClient, versions: string[], limit: number): Promise<PromptUse[]> {
  return queryRows(
    client,
    `SELECT function_name AS f, variant_name AS v, prompt_version AS p FROM inferences WHERE prompt_version IN {ids:Array(String)} GROUP BY f, v, p LIMIT {limit:UInt32}`,
    { ids: versions, limit },
    usageRow,
  );
}

/** The newest `per` inferences of each of these variants, at most `limit` in all. */
export function recentInferencesOfVariants(
  client: ClickHouseClient,
  fns: string[],
  variants: string[],
  per: number,
  limit: number,
): Promise<ServedInference[]> {
  return queryRows(
    client,
    `SELECT toString(id) AS iid, function_name AS f, variant_name AS v FROM inferences
      WHERE function_name IN {fns:Array(String)} AND variant_name IN {variants:Array(String)}
      ORDER BY timestamp DESC LIMIT {per:UInt32} BY f, v LIMIT {limit:UInt32}`,
    { fns, variants, per, limit },
    servedRow,
  );
}

const servingRow = z.object({
  prompt_version: z.string(),
  function_name: z.string(),
  variant_name: z.string(),
  n: count,
  last: z.union([z.string(), z.number()]).transform((v) => (typeof v === "number" ? v : Date.parse(`${v.replace(" ", "T")}Z`))),
});

/** Per prompt version, the variants that served it in the last 30 days, with how often and when last (epoch ms), busiest first. */
export async function servingOfPromptVersions(client: ClickHouseClient, versions: string[]): Promise<z.output<typeof servingRow>[]> {
  return queryRows(
    client,
    `SELECT prompt_version, function_name, variant_name, count() AS n, max(timestamp) AS last
            FROM inferences
            WHERE prompt_version IN {versions:Array(String)} AND timestamp >= now64(3) - INTERVAL 30 DAY
            GROUP BY prompt_version, function_name, variant_name
            ORDER BY n DESC`,
    { versions },
    servingRow,
  );
}

/** Function and variant of each of these inferences that exists (at most `limit`). */
export function servingVariants(client: ClickHouseClient, ids: string[], limit?: number): Promise<ServedInference[]> {
  // Aliases must not shadow a column used in WHERE (hence `iid`).
  return queryRows(
    client,
    `SELECT toString(id) AS iid, function_name AS f, variant_name AS v FROM inference_by_id WHERE id IN {ids:Array(UUID)} LIMIT 1 BY id${
      limit === undefined ? "" : " LIMIT {limit:UInt32}"
    }`,
    limit === undefined ? { ids } : { ids, limit },
    servedRow,
  );
}

/** Where an inference lives (its function and variant), or undefined: search everywhere's id jump. */
export async function findInferenceById(client: ClickHouseClient, id: string): Promise<{ f: string; v: string } | undefined> {
  const [row] = await queryRows(
    client,
    "SELECT function_name AS f, variant_name AS v FROM inference_by_id WHERE id = {id:UUID} LIMIT 1",
    { id },
    z.object({ f: z.string(), v: z.string() }),
  );
  return row;
}
