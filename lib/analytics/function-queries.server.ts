import "server-only";
import type { ClickHouseClient } from "@clickhouse/client";
import { z } from "zod";
import { count, queryRows, real, type Params } from "@/lib/clickhouse/rows.server";
import { finite, percentiles, quantiles } from "./histograms";
import { toChSeconds, type ResolvedRange } from "./range";

/**
 * The functions list and what a function's traffic shows when its configuration declares nothing
 * (variants and metrics seen), from the hourly or minute rollups.
 */

const functionListRow = z.object({
  function_name: z.string(),
  variants: count,
  requests: count,
  error_count: count,
  cost_usd: real,
  latency_q: quantiles,
  last_bucket: count,
});

/** Every function with traffic in the range, busiest first. */
export async function listFunctions(client: ClickHouseClient, range: ResolvedRange) {
  const params: Params = {
    table: range.rollup === "1h" ? "inference_rollup_1h" : "inference_rollup_1m",
    from: toChSeconds(range.from),
    to: toChSeconds(range.to),
  };
  const query = `SELECT function_name, variants, requests, error_count, cost_usd, ${percentiles("latency_h")} AS latency_q, last_bucket FROM (
      SELECT function_name, uniqExact(variant_name) AS variants, sum(inferences) AS requests, sum(errors) AS error_count,
        sum(cost) AS cost_usd, sumMap(latency) AS latency_h, toUnixTimestamp(max(bucket)) AS last_bucket
      FROM {table:Identifier} WHERE bucket >= {from:DateTime('UTC')} AND bucket < {to:DateTime('UTC')}
      GROUP BY function_name)
    ORDER BY requests DESC, function_name LIMIT 1000`;
  return (await queryRows(client, query, params, functionListRow)).map((r) => ({
    name: r.function_name,
    variants: r.variants,
    requests: r.requests,
    errors: r.error_count,
    cost: r.cost_usd ?? 0,
    latencyP95: finite(r.latency_q[1]),
    lastSeen: r.last_bucket * 1000,
  }));
}

const observedMetricRow = z.object({ metric_name: z.string(), bool_n: count, float_n: count, episode_n: count, inference_n: count });

/** The float/boolean metrics a function's feedback uses, with the kinds and levels seen (for functions nothing declares). */
export async function observedMetrics(client: ClickHouseClient, functionName: string, from: number, to: number) {
  const params: Params = { fn: functionName, from: toChSeconds(Math.floor(from / 3_600_000) * 3_600_000), to: toChSeconds(to) };
  // Aliases differ from the column names: an alias equal to a column would nest the aggregates.
  const query = `SELECT metric_name, sum(booleans) AS bool_n, sum(n) - sum(booleans) AS float_n,
      sumIf(n, target_type = 'episode') AS episode_n, sumIf(n, target_type = 'inference') AS inference_n
    FROM feedback_rollup_1h WHERE function_name = {fn:String} AND bucket >= {from:DateTime('UTC')} AND bucket < {to:DateTime('UTC')}
    GROUP BY metric_name ORDER BY metric_name`;
  return (await queryRows(client, query, params, observedMetricRow)).map((r) => ({
    metric_name: r.metric_name,
    booleans: r.bool_n,
    floats: r.float_n,
    episodes: r.episode_n,
    inferences: r.inference_n,
  }));
}

/** Variants seen for a function in [from, to) (hourly rollup). */
export async function observedVariants(client: ClickHouseClient, functionName: string, from: number, to: number): Promise<string[]> {
  const params: Params = { fn: functionName, from: toChSeconds(Math.floor(from / 3_600_000) * 3_600_000), to: toChSeconds(to) };
  const query = `SELECT DISTINCT variant_name FROM inference_rollup_1h
    WHERE function_name = {fn:String} AND bucket >= {from:DateTime('UTC')} AND bucket < {to:DateTime('UTC')} ORDER BY variant_name`;
  return (await queryRows(client, query, params, z.object({ variant_name: z.string() }))).map((r) => r.variant_name);
}
