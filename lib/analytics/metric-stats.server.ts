import "server-only";
import type { ClickHouseClient } from "@clickhouse/client";
import { z } from "zod";
import { count, queryRows, real, type Params } from "@/lib/clickhouse/rows.server";
import { inferenceConditions, whereSql } from "@/lib/inference/filter";
import { toChSeconds } from "./range";
import type { SeriesScope } from "./scope";
import type { MetricPoint, MetricStats } from "./schemas";

/**
 * Feedback metrics of a function page: mean (rate for booleans) and spread per metric and variant,
 * from the feedback rollups, or from the raw feedback about tag-filtered inferences.
 */

const metricRow = z.object({ metric_name: z.string(), variant_name: z.string(), n: count, total: real, total_sq: real });

function toMetricStats(r: z.output<typeof metricRow>): MetricStats {
  const total = r.total ?? 0;
  const mean = r.n > 0 ? total / r.n : null;
  const variance = r.n > 1 && mean !== null ? Math.max(0, ((r.total_sq ?? 0) - r.n * mean * mean) / (r.n - 1)) : null;
  return { metric: r.metric_name, variant: r.variant_name, n: r.n, mean, stddev: variance === null ? null : Math.sqrt(variance) };
}

/** How far back a tag-filtered metric looks for the inferences its feedback is about. */
const FEEDBACK_LAG_DAYS = 7;

function feedbackSource(scope: SeriesScope, params: Params): { from: string; time: string; aggregates: string } {
  params.fn = scope.functionName;
  params.from = toChSeconds(scope.range.from);
  params.to = toChSeconds(scope.range.to);
  params.step = scope.range.bucket.seconds;
  if (scope.tags?.length) {
    // Feedback in the range about inferences (or episodes) that carry the tags.
    const tagged = inferenceConditions(
      { from: scope.range.from - FEEDBACK_LAG_DAYS * 86_400_000, to: scope.range.to, functionName: scope.functionName, tags: scope.tags },
      { precision: "second", prefix: "inf_" },
    );
    Object.assign(params, tagged.params);
    return {
      from: `FROM feedback WHERE function_name = {fn:String} AND kind IN ('float', 'boolean')
        AND timestamp >= {from:DateTime('UTC')} AND timestamp < {to:DateTime('UTC')}
        AND ((target_type = 'inference' AND target_id IN (SELECT id FROM inferences ${whereSql(tagged)}))
          OR (target_type = 'episode' AND target_id IN (SELECT episode_id FROM inferences ${whereSql(tagged)})))`,
      time: "toDateTime(timestamp, 'UTC')",
      aggregates: "count() AS n, sum(value) AS total, sum(value * value) AS total_sq",
    };
  }
  params.table = scope.range.rollup === "1h" ? "feedback_rollup_1h" : "feedback_rollup_1m";
  return {
    from: `FROM {table:Identifier} WHERE function_name = {fn:String} AND bucket >= {from:DateTime('UTC')} AND bucket < {to:DateTime('UTC')}`,
    time: "bucket",
    aggregates: "sum(n) AS n, sum(sum) AS total, sum(sum_sq) AS total_sq",
  };
}

/** Mean (rate for booleans) and spread of every float/boolean metric per variant, over the range and per bucket, from one scan. */
export async function metricStats(
  client: ClickHouseClient,
  scope: SeriesScope,
): Promise<{ summary: MetricStats[]; series: MetricPoint[] }> {
  const params: Params = {};
  const src = feedbackSource(scope, params);
  const query = `SELECT metric_name, variant_name, toUnixTimestamp(toStartOfInterval(${src.time}, toIntervalSecond({step:UInt32}))) AS t, grouping(t) AS whole,
      ${src.aggregates}
    ${src.from} GROUP BY GROUPING SETS ((metric_name, variant_name), (metric_name, variant_name, t)) ORDER BY t, metric_name, variant_name`;
  const found = await queryRows(client, query, params, metricRow.extend({ t: count, whole: count }));
  return {
    summary: found.filter((r) => r.whole === 1).map(toMetricStats),
    series: found.filter((r) => r.whole === 0).map((r) => ({ ...toMetricStats(r), t: r.t * 1000 })),
  };
}

export const metricSummary = async (client: ClickHouseClient, scope: SeriesScope) => (await metricStats(client, scope)).summary;
export const metricSeries = async (client: ClickHouseClient, scope: SeriesScope) => (await metricStats(client, scope)).series;
