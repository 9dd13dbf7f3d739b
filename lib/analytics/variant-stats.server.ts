import "server-only";
import type { ClickHouseClient } from "@clickhouse/client";
import { z } from "zod";
import { count, queryRows, real, type Params } from "@/lib/clickhouse/rows.server";
import { inferenceConditions, whereSql } from "@/lib/inference/filter";
import { bin, finite, percentiles, quantiles } from "./histograms";
import { toChSeconds } from "./range";
import type { SeriesScope } from "./scope";
import type { VariantPoint, VariantStats } from "./schemas";

/**
 * Requests, errors, cache hits, tokens, cost, latency and TTFT per variant of a function: from the
 * minute or hour rollups of db/clickhouse/0004, or from the raw log under tag filters, which the
 * rollups cannot answer (the raw conditions come from lib/inference's filter).
 */

const ROLLUP_AGGREGATES = `
  sum(inferences) AS requests, sum(errors) AS error_count, sum(cache_hits) AS cache_hit_count,
  sum(input_tokens) AS tokens_in, sum(output_tokens) AS tokens_out, sum(cost) AS cost_usd,
  sum(latency_sum) AS latency_total, sumMap(latency) AS latency_h,
  sum(ttft_count) AS ttft_n, sumMap(ttft) AS ttft_h`;

const RAW_AGGREGATES = `
  count() AS requests, countIf(status != 'ok') AS error_count, countIf(cached) AS cache_hit_count,
  sum(input_tokens) AS tokens_in, sum(output_tokens) AS tokens_out, sum(cost) AS cost_usd,
  sum(latency_ms) AS latency_total, sumMap(${bin("latency_ms")}) AS latency_h,
  countIf(ttft_ms IS NOT NULL) AS ttft_n, sumMapIf(${bin("assumeNotNull(ttft_ms)")}, ttft_ms IS NOT NULL) AS ttft_h`;

/** Columns of the outer query over the aggregates: percentiles from the merged histograms. */
const STATS_COLUMNS = `requests, error_count, cache_hit_count, tokens_in, tokens_out, cost_usd, latency_total,
  ${percentiles("latency_h")} AS latency_q, ttft_n, ${percentiles("ttft_h")} AS ttft_q`;

const statsRow = z.object({
  variant_name: z.string(),
  requests: count,
  error_count: count,
  cache_hit_count: count,
  tokens_in: count,
  tokens_out: count,
  cost_usd: real,
  latency_total: count,
  latency_q: quantiles,
  ttft_n: count,
  ttft_q: quantiles,
});

function toVariantStats(r: z.output<typeof statsRow>): VariantStats {
  const hasTtft = r.ttft_n > 0;
  return {
    variant: r.variant_name,
    requests: r.requests,
    errors: r.error_count,
    cacheHits: r.cache_hit_count,
    inputTokens: r.tokens_in,
    outputTokens: r.tokens_out,
    cost: r.cost_usd ?? 0,
    latencyMean: r.requests > 0 ? r.latency_total / r.requests : null,
    latencyP50: r.requests > 0 ? finite(r.latency_q[0]) : null,
    latencyP95: r.requests > 0 ? finite(r.latency_q[1]) : null,
    latencyP99: r.requests > 0 ? finite(r.latency_q[2]) : null,
    ttftCount: r.ttft_n,
    ttftP50: hasTtft ? finite(r.ttft_q[0]) : null,
    ttftP95: hasTtft ? finite(r.ttft_q[1]) : null,
    ttftP99: hasTtft ? finite(r.ttft_q[2]) : null,
  };
}

/** FROM/WHERE of inference stats: the rollup for the range, or the raw log under tag filters. */
function inferenceSource(scope: SeriesScope, params: Params): { from: string; time: string; aggregates: string } {
  params.fn = scope.functionName;
  params.from = toChSeconds(scope.range.from);
  params.to = toChSeconds(scope.range.to);
  params.step = scope.range.bucket.seconds;
  if (scope.tags?.length) {
    const { from, to } = scope.range;
    const where = inferenceConditions({ from, to, functionName: scope.functionName, tags: scope.tags }, { precision: "second" });
    Object.assign(params, where.params);
    return { from: `FROM inferences ${whereSql(where)}`, time: "toDateTime(timestamp, 'UTC')", aggregates: RAW_AGGREGATES };
  }
  params.table = scope.range.rollup === "1h" ? "inference_rollup_1h" : "inference_rollup_1m";
  return {
    from: `FROM {table:Identifier} WHERE function_name = {fn:String} AND bucket >= {from:DateTime('UTC')} AND bucket < {to:DateTime('UTC')}`,
    time: "bucket",
    aggregates: ROLLUP_AGGREGATES,
  };
}

/**
 * Per variant over the whole range and per variant and bucket, from one scan (GROUPING SETS);
 * buckets with no traffic are absent (the chart decides what a missing bucket means).
 */
export async function variantStats(
  client: ClickHouseClient,
  scope: SeriesScope,
): Promise<{ summary: VariantStats[]; series: VariantPoint[] }> {
  const params: Params = {};
  const src = inferenceSource(scope, params);
  const query = `SELECT variant_name, t, whole, ${STATS_COLUMNS} FROM (
      SELECT variant_name, toUnixTimestamp(toStartOfInterval(${src.time}, toIntervalSecond({step:UInt32}))) AS t, grouping(t) AS whole, ${src.aggregates}
      ${src.from} GROUP BY GROUPING SETS ((variant_name), (variant_name, t)))
    ORDER BY t, variant_name`;
  const found = await queryRows(client, query, params, statsRow.extend({ t: count, whole: count }));
  return {
    summary: found
      .filter((r) => r.whole === 1)
      .map(toVariantStats)
      .sort((a, b) => (a.variant < b.variant ? -1 : a.variant > b.variant ? 1 : 0)),
    series: found.filter((r) => r.whole === 0).map((r) => ({ ...toVariantStats(r), t: r.t * 1000 })),
  };
}

export const variantSummary = async (client: ClickHouseClient, scope: SeriesScope) => (await variantStats(client, scope)).summary;
export const variantSeries = async (client: ClickHouseClient, scope: SeriesScope) => (await variantStats(client, scope)).series;
