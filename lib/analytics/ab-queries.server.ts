import "server-only";
import type { ClickHouseClient } from "@clickhouse/client";
import { z } from "zod";
import type { DailyStats } from "./ab-data";
import type { GuardrailTotals } from "./scorecard";
import { count, queryRows, real, type Params } from "@/lib/clickhouse/rows.server";
import { inferenceConditions, whereSql, type SqlConditions } from "@/lib/inference/filter";
import { bin, binCounts } from "./histograms";
import { toChSeconds } from "./range";

/**
 * The A/B page's ClickHouse queries (the rest of the dashboard's are in the other *.server.ts files,
 * under the same rules: `{name:Type}` parameters only, every query bounded in time, rows parsed here).
 */

const LOOKBACK_MS = 30 * 86_400_000;

/** The function's inferences of [from, to) and the 30 days before it: where an A/B window's feedback finds its episodes. */
const lookback = (functionName: string, from: number, to: number): SqlConditions =>
  inferenceConditions({ functionName, from: from - LOOKBACK_MS, to }, { precision: "second", prefix: "inf_" });
export interface AbScope {
  functionName: string;
  metric: string;
  level: "inference" | "episode";
  /** Epoch ms, [from, to): feedback recorded in this window. */
  from: number;
  to: number;
  /** hasMultiInferenceEpisodes for this window, when the caller has already asked it. */
  multiInferenceEpisodes?: Promise<boolean>;
}

const dailyRow = z.object({
  variant: z.string(),
  day: count,
  n: count,
  total: real,
  total_sq: real,
  clusters: count.optional(),
  c_sq: real.optional(),
  c_ny: real.optional(),
  c_n2: real.optional(),
});

/**
 * Sufficient statistics of one metric per variant and UTC day, one observation per target: the
 * latest value of each inference, or of each episode for episode-level metrics (an episode's
 * own feedback wins; feedback on its inferences is averaged into one value otherwise).
 * Inference-level values of a function whose episodes hold several inferences are grouped by
 * episode too: each day's row carries the sums of its episodes (count, Σ y_e², Σ n_e y_e, Σ n_e²)
 * for the cluster-robust variance, and an episode's values are counted on the day of its latest
 * one. A target counts when its latest value falls in [from, to).
 *
 * The episode comes with each feedback row (written with it, ClickHouse 0010), so no join with the
 * inference log is needed; only rows written before that column, or by a writer that did not know
 * the episode, are looked up in inference_by_id (by its primary key), and only when the window holds such rows.
 */
export async function abDailyStats(client: ClickHouseClient, scope: AbScope): Promise<DailyStats[]> {
  const params: Params = { fn: scope.functionName, metric: scope.metric, from: toChSeconds(scope.from), to: toChSeconds(scope.to) };
  // FINAL keeps each target's latest row (ReplacingMergeTree by timestamp) and the window's end
  // applies after it, so the answer does not depend on whether a relabel has been merged away yet.
  // Rows older than the window's start may go before FINAL (PREWHERE): a target whose latest row
  // is in the window keeps that row, and one whose latest row is older is out either way.
  const perTarget = `SELECT target_type, target_id, episode_id, variant_name AS variant, value AS val, toDateTime(timestamp, 'UTC') AS ts
    FROM feedback_by_metric FINAL
    PREWHERE timestamp >= {from:DateTime('UTC')}
    WHERE function_name = {fn:String} AND metric_name = {metric:String} AND timestamp < {to:DateTime('UTC')}`;
  // Both checks at once: each is a small query that costs mostly its round trip. The second is
  // needed only when grouping by episode, which the first decides for inference-level metrics.
  const [clustered, legacy] = await Promise.all([
    scope.level === "inference" &&
      (scope.multiInferenceEpisodes ?? hasMultiInferenceEpisodes(client, scope.functionName, scope.from, scope.to)),
    hasFeedbackWithoutEpisode(client, params),
  ]);
  if (scope.level === "inference" && !clustered) {
    const query = `SELECT variant, toUnixTimestamp(toStartOfDay(ts)) AS day, count() AS n, sum(val) AS total, sum(val * val) AS total_sq
      FROM (${perTarget} AND target_type = 'inference')
      GROUP BY variant, day ORDER BY day, variant`;
    return (await queryRows(client, query, params, dailyRow)).map(toDailyStats);
  }
  // Each target's episode: its own column, else (legacy rows only) the inference's from
  // inference_by_id; zero when neither knows one.
  const episodeOf = legacy ? `if(p.episode_id != ${ZERO_UUID}, p.episode_id, i.episode_id)` : "p.episode_id";
  const lookup = legacy
    ? `LEFT JOIN (SELECT id, episode_id FROM inference_by_id
        WHERE id IN (SELECT target_id FROM per_target WHERE target_type = 'inference' AND episode_id = ${ZERO_UUID})) AS i
        ON i.id = p.target_id`
    : "";
  const query =
    scope.level === "inference"
      ? `WITH per_target AS (${perTarget} AND target_type = 'inference')
         SELECT variant, toUnixTimestamp(toStartOfDay(ts)) AS day, sum(k) AS n, sum(y) AS total, sum(y2) AS total_sq,
           count() AS clusters, sum(y * y) AS c_sq, sum(k * y) AS c_ny, sum(k * k) AS c_n2
         FROM (
           -- A cluster is an episode's inferences on one variant; an inference without an episode
           -- is an episode of its own. Keyed by a 64-bit hash of the pair: half the time of the
           -- (UUID, variant) key, and two clusters of a million share a key once in ~4·10^7 queries.
           SELECT cityHash64(if(${episodeOf} = ${ZERO_UUID}, p.target_id, ${episodeOf}), p.variant) AS cluster,
             any(p.variant) AS variant, count() AS k, sum(p.val) AS y, sum(p.val * p.val) AS y2, max(p.ts) AS ts
           FROM per_target AS p ${lookup}
           GROUP BY cluster)
         GROUP BY variant, day ORDER BY day, variant`
      : `WITH per_target AS (${perTarget})
         SELECT variant, toUnixTimestamp(toStartOfDay(ts)) AS day, count() AS n, sum(ep_val) AS total, sum(ep_val * ep_val) AS total_sq
         FROM (
           SELECT episode, any(p_variant) AS variant, max(p_ts) AS ts,
             if(countIf(p_type = 'episode') > 0, anyIf(p_val, p_type = 'episode'), avg(p_val)) AS ep_val
           FROM (
             SELECT ${episodeOf} AS episode, p.ts AS p_ts, p.target_type AS p_type, p.val AS p_val, p.variant AS p_variant
             FROM per_target AS p ${lookup})
           WHERE episode != ${ZERO_UUID}
           GROUP BY episode)
         GROUP BY variant, day ORDER BY day, variant`;
  return (await queryRows(client, query, params, dailyRow)).map(toDailyStats);
}

const ZERO_UUID = "toUUID('00000000-0000-0000-0000-000000000000')";

const toDailyStats = (r: z.infer<typeof dailyRow>): DailyStats => ({
  variant: r.variant,
  day: r.day * 1000,
  n: r.n,
  sum: r.total ?? 0,
  sumSq: r.total_sq ?? 0,
  ...(r.clusters !== undefined ? { clusters: { count: r.clusters, sumSq: r.c_sq ?? 0, crossSum: r.c_ny ?? 0, sizeSq: r.c_n2 ?? 0 } } : {}),
});

/**
 * Whether the window holds inference feedback that does not carry its episode (written before
 * ClickHouse 0010, or by a writer that did not know it): only then does the A/B query look episodes up.
 */
async function hasFeedbackWithoutEpisode(client: ClickHouseClient, params: Params): Promise<boolean> {
  const query = `SELECT 1 AS found FROM feedback_by_metric
    PREWHERE timestamp >= {from:DateTime('UTC')}
    WHERE function_name = {fn:String} AND metric_name = {metric:String} AND timestamp < {to:DateTime('UTC')}
      AND target_type = 'inference' AND episode_id = ${ZERO_UUID}
    LIMIT 1`;
  return (await queryRows(client, query, params, z.object({ found: count }))).length > 0;
}

/**
 * Whether the function's episodes hold several inferences, from a sample of its log in the window
 * and the 30 days before it (the first 20,000 rows read): grouping feedback by episode needs a join with the inference log,
 * several times the cost of the plain query, and changes nothing when every episode has one
 * inference. A function whose multi-inference episodes are too rare to show in the sample is
 * analysed without clustering, where clustering would barely change the variance anyway.
 */
export async function hasMultiInferenceEpisodes(
  client: ClickHouseClient,
  functionName: string,
  from: number,
  to: number,
): Promise<boolean> {
  const recent = lookback(functionName, from, to);
  const query = `SELECT count() > uniqExact(episode_id) AS multi FROM (SELECT episode_id FROM inferences ${whereSql(recent)} LIMIT 20000)`;
  const [row] = await queryRows(client, query, recent.params, z.object({ multi: z.union([z.boolean(), z.number(), z.string()]) }));
  return row?.multi === true || Number(row?.multi) === 1;
}

/** Requests per variant and UTC day (hourly rollup): the split under adaptive allocation, day by day. */
export async function dailyTraffic(
  client: ClickHouseClient,
  functionName: string,
  from: number,
  to: number,
): Promise<{ variant: string; day: number; requests: number }[]> {
  const params: Params = { fn: functionName, from: toChSeconds(Math.floor(from / 3_600_000) * 3_600_000), to: toChSeconds(to) };
  const query = `SELECT variant_name, toUnixTimestamp(toStartOfDay(bucket)) AS day, sum(inferences) AS requests FROM inference_rollup_1h
    WHERE function_name = {fn:String} AND bucket >= {from:DateTime('UTC')} AND bucket < {to:DateTime('UTC')}
    GROUP BY variant_name, day ORDER BY day, variant_name`;
  const result = await queryRows(client, query, params, z.object({ variant_name: z.string(), day: count, requests: count }));
  return result.map((r) => ({ variant: r.variant_name, day: r.day * 1000, requests: r.requests }));
}

/**
 * Every float/boolean feedback value of one metric per variant and UTC day, from the hourly
 * rollup (a relabel counts as one more value): what adaptive allocation reads. The rollup only
 * ever adds rows, so the answer for a past window never changes, and every app instance (and the
 * A/B page, later) computes the same weights from it.
 */
export async function feedbackDaily(
  client: ClickHouseClient,
  functionName: string,
  metric: string,
  from: number,
  to: number,
): Promise<DailyStats[]> {
  const params: Params = { fn: functionName, metric, from: toChSeconds(from), to: toChSeconds(to) };
  const query = `SELECT variant_name AS variant, toUnixTimestamp(toStartOfDay(bucket)) AS day, sum(n) AS n, sum(sum) AS total, sum(sum_sq) AS total_sq
    FROM feedback_rollup_1h
    WHERE function_name = {fn:String} AND metric_name = {metric:String} AND bucket >= {from:DateTime('UTC')} AND bucket < {to:DateTime('UTC')}
    GROUP BY variant, day ORDER BY day, variant`;
  return (await queryRows(client, query, params, dailyRow)).map((r) => ({
    variant: r.variant,
    day: r.day * 1000,
    n: r.n,
    sum: r.total ?? 0,
    sumSq: r.total_sq ?? 0,
  }));
}

const guardrailRow = z.object({
  variant_name: z.string(),
  requests: count,
  error_count: count,
  cost_sum: real,
  cost_sq: real,
  squared: count,
  bins: z.array(z.tuple([z.coerce.number(), z.coerce.number()])),
});

/**
 * The scorecard's guardrails per variant over the hours of [from, to): requests (also the traffic
 * split for the sample-ratio check), errors, the sum and sum of squares of each request's cost and
 * the latency histogram (1.03^b ms bins), from the hourly rollup. An hour rolled up before the
 * rollup kept squares (ClickHouse 0011) has fewer squared requests than requests: such hours are
 * read whole from the raw log instead (mixedGuardrailTotals).
 */
export async function guardrailTotals(
  client: ClickHouseClient,
  functionName: string,
  from: number,
  to: number,
): Promise<GuardrailTotals[]> {
  const params: Params = { fn: functionName, from: toChSeconds(Math.floor(from / 3_600_000) * 3_600_000), to: toChSeconds(to) };
  const query = `SELECT variant_name, requests, error_count, cost_sum, cost_sq, squared,
      ${binCounts("h")} AS bins
    FROM (SELECT variant_name, sum(inferences) AS requests, sum(errors) AS error_count, sum(cost) AS cost_sum,
        sum(cost_sq) AS cost_sq, sum(cost_sq_rows) AS squared, sumMap(latency) AS h
      FROM inference_rollup_1h
      WHERE function_name = {fn:String} AND bucket >= {from:DateTime('UTC')} AND bucket < {to:DateTime('UTC')}
      GROUP BY variant_name)`;
  const rows = await queryRows(client, query, params, guardrailRow);
  return (rows.every((r) => r.squared === r.requests) ? rows : await mixedGuardrailTotals(client, params)).map((r) => ({
    variant: r.variant_name,
    requests: r.requests,
    errors: r.error_count,
    costSum: r.cost_sum ?? 0,
    costSumSq: r.cost_sq ?? 0,
    latency: r.bins,
  }));
}

/**
 * The guardrails when some hours of the window were rolled up before the rollup kept squares:
 * the other hours from the rollup, those from the raw log (evaluation traffic left out, as the
 * rollup leaves it out), every figure of an hour from one source. An hour is read from the raw log
 * whole, every variant, when any of its rows was rolled up without squares. (Not the rollup's
 * counts with the raw log's squares: inferences deleted or expired since stay counted in the
 * rollup, and the variance would not match the mean.)
 */
async function mixedGuardrailTotals(client: ClickHouseClient, params: Params): Promise<z.infer<typeof guardrailRow>[]> {
  const hours = `SELECT variant_name, bucket, n, e, c, sq, h, min(sq_rows = n) OVER (PARTITION BY bucket) AS whole
    FROM (SELECT variant_name, bucket, sum(inferences) AS n, sum(errors) AS e, sum(cost) AS c, sum(cost_sq) AS sq,
        sum(cost_sq_rows) AS sq_rows, sumMap(latency) AS h
      FROM inference_rollup_1h
      WHERE function_name = {fn:String} AND bucket >= {from:DateTime('UTC')} AND bucket < {to:DateTime('UTC')}
      GROUP BY variant_name, bucket)`;
  const query = `WITH hours AS (${hours})
    SELECT variant_name, sum(n) AS requests, sum(e) AS error_count, sum(c) AS cost_sum, sum(sq) AS cost_sq,
      sum(n) AS squared, ${binCounts("sumMap(h)")} AS bins
    FROM (
      SELECT variant_name, n, e, c, sq, h FROM hours WHERE whole
      UNION ALL
      SELECT variant_name, count() AS n, countIf(status != 'ok') AS e, sum(cost) AS c, sum(cost * cost) AS sq, sumMap(${bin("latency_ms")}) AS h
      FROM inferences
      WHERE function_name = {fn:String} AND timestamp >= {from:DateTime('UTC')} AND timestamp < {to:DateTime('UTC')}
        AND toStartOfHour(toDateTime(timestamp, 'UTC')) IN (SELECT bucket FROM hours WHERE NOT whole)
        AND NOT mapContains(tags, 'llmops.evaluation_run')
      GROUP BY variant_name)
    GROUP BY variant_name`;
  return queryRows(client, query, params, guardrailRow);
}
