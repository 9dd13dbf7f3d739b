import "server-only";
import type { ClickHouseClient } from "@clickhouse/client";
import { z } from "zod";
import { chTimeToMs, type Cursor } from "./cursor";
import { toChSeconds, type ResolvedRange, type TagFilter } from "./range";
import type { CascadeRow } from "./cascade";
import type {
  InferenceDetail,
  InferenceFacets,
  InferenceListItem,
  MetricPoint,
  MetricStats,
  RangeInfo,
  VariantPoint,
  VariantStats,
} from "./schemas";

/**
 * Every ClickHouse query of the functions, variants and A/B pages. Values only ever travel as
 * `{name:Type}` parameters; every query is bounded by [from, to); the pages read the minute or
 * hour rollups of db/clickhouse/0004 and fall back to the raw log only for tag filters, which the
 * rollups cannot answer. Rows are parsed here, once (64-bit integers arrive as strings).
 */

export type Params = Record<string, unknown>;

export async function rows<S extends z.ZodType>(
  client: ClickHouseClient,
  query: string,
  params: Params,
  schema: S,
): Promise<z.output<S>[]> {
  const result = await client.query({ query, query_params: params, format: "JSONEachRow" });
  return z.array(schema).parse(await result.json());
}

export const count = z.union([z.number(), z.string()]).transform(Number);
export const real = z.union([z.number(), z.string(), z.null()]).transform((v) => (v === null ? null : Number(v)));
const quantiles = z
  .array(real)
  .nullable()
  .transform((q) => q ?? []);
const finite = (v: number | null | undefined) => (v === null || v === undefined || !Number.isFinite(v) ? null : v);

/** Tag conditions on the raw log; parameter names come from positions, values stay parameters. */
function tagCondition(tags: TagFilter[], params: Params, column = "tags"): string {
  return tags
    .map((tag, i) => {
      params[`tag_k${i}`] = tag.key;
      params[`tag_v${i}`] = tag.value;
      return ` AND ${column}[{tag_k${i}:String}] = {tag_v${i}:String}`;
    })
    .join("");
}

export interface SeriesScope {
  functionName: string;
  range: ResolvedRange;
  tags?: TagFilter[];
}

export const rangeInfo = (scope: SeriesScope, asOf = Date.now()): RangeInfo => ({
  asOf,
  from: scope.range.from,
  to: scope.range.to,
  bucketSeconds: scope.range.bucket.seconds,
  source: scope.tags?.length ? "raw" : scope.range.rollup === "1h" ? "rollup_1h" : "rollup_1m",
});

/**
 * Latency and TTFT percentiles come from log-scale histograms (0004: bin b holds values that
 * round to 1.03^b ms): p-th percentile = centre of the first bin whose running count exceeds p of
 * the total (the rank quantileExact uses), within 1.5% of the exact value. The raw log is binned
 * the same way, so a tag-filtered view agrees with the rollups.
 */
const bin = (column: string) => `map(toUInt16(round(log(greatest(${column}, 1)) / log(1.03))), toUInt64(1))`;
const percentiles = (histogram: string) =>
  `arrayMap(q -> pow(1.03, mapKeys(mapSort(${histogram}))[arrayFirstIndex(c -> c > q * arraySum(mapValues(${histogram})), arrayCumSum(mapValues(mapSort(${histogram}))))]), [0.5, 0.95, 0.99])`;

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
    return {
      from: `FROM inferences WHERE function_name = {fn:String}
        AND timestamp >= {from:DateTime('UTC')} AND timestamp < {to:DateTime('UTC')}${tagCondition(scope.tags, params)}`,
      time: "toDateTime(timestamp, 'UTC')",
      aggregates: RAW_AGGREGATES,
    };
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
  const found = await rows(client, query, params, statsRow.extend({ t: count, whole: count }));
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
    const tagged = `FROM inferences WHERE function_name = {fn:String} AND timestamp >= {from:DateTime('UTC')} - INTERVAL ${FEEDBACK_LAG_DAYS} DAY
      AND timestamp < {to:DateTime('UTC')}${tagCondition(scope.tags, params)}`;
    return {
      from: `FROM feedback WHERE function_name = {fn:String} AND kind IN ('float', 'boolean')
        AND timestamp >= {from:DateTime('UTC')} AND timestamp < {to:DateTime('UTC')}
        AND ((target_type = 'inference' AND target_id IN (SELECT id ${tagged}))
          OR (target_type = 'episode' AND target_id IN (SELECT episode_id ${tagged})))`,
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
  const found = await rows(client, query, params, metricRow.extend({ t: count, whole: count }));
  return {
    summary: found.filter((r) => r.whole === 1).map(toMetricStats),
    series: found.filter((r) => r.whole === 0).map((r) => ({ ...toMetricStats(r), t: r.t * 1000 })),
  };
}

export const metricSummary = async (client: ClickHouseClient, scope: SeriesScope) => (await metricStats(client, scope)).summary;
export const metricSeries = async (client: ClickHouseClient, scope: SeriesScope) => (await metricStats(client, scope)).series;

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
  return (await rows(client, query, params, functionListRow)).map((r) => ({
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
  return (await rows(client, query, params, observedMetricRow)).map((r) => ({
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
  return (await rows(client, query, params, z.object({ variant_name: z.string() }))).map((r) => r.variant_name);
}

export interface InferenceFilters {
  from: number;
  to: number;
  functionName?: string;
  variantName?: string;
  modelName?: string;
  status?: string;
  /** The client's `user` (the end_user column). */
  user?: string;
  tags?: TagFilter[];
  /** Inferences whose latest value of `metric` compares to `value` with `op`. */
  feedback?: { metric: string; op: "eq" | "gte" | "lte"; value: number };
  cursor?: Cursor;
  limit: number;
}

const listRow = z.object({
  id: z.string(),
  episode_id: z.string(),
  timestamp: z.string(),
  function_name: z.string(),
  variant_name: z.string(),
  model_name: z.string(),
  status: z.string(),
  latency_ms: count,
  input_tokens: count,
  output_tokens: count,
  cost: real,
  cached: z.union([z.boolean(), z.number()]).transform(Boolean),
  preview: z.string(),
});

const FEEDBACK_OPS = { eq: "=", gte: ">=", lte: "<=" } as const;

/** One page of inferences, newest first, by keyset on (timestamp, id); `limit + 1` rows tell if there is a next page. */
export async function listInferences(
  client: ClickHouseClient,
  f: InferenceFilters,
): Promise<{ items: InferenceListItem[]; next: Cursor | null }> {
  const params: Params = { from: toChSeconds(f.from), to: toChSeconds(f.to), limit: f.limit + 1 };
  const where = ["timestamp >= {from:DateTime('UTC')}", "timestamp < {to:DateTime('UTC')}"];
  const eq = (column: string, name: string, value: string | undefined) => {
    if (value === undefined) return;
    params[name] = value;
    where.push(`${column} = {${name}:String}`);
  };
  eq("function_name", "fn", f.functionName);
  eq("variant_name", "variant", f.variantName);
  eq("model_name", "model", f.modelName);
  eq("status", "status", f.status);
  eq("end_user", "end_user", f.user);
  if (f.cursor) {
    params.cts = f.cursor.ts;
    params.cid = f.cursor.id;
    where.push("(timestamp, id) < ({cts:DateTime64(3, 'UTC')}, {cid:UUID})");
  }
  if (f.feedback) {
    params.fb_metric = f.feedback.metric;
    params.fb_value = f.feedback.value;
    where.push(`id IN (SELECT target_id FROM feedback_by_metric
      WHERE metric_name = {fb_metric:String} AND target_type = 'inference' AND timestamp >= {from:DateTime('UTC')}${f.functionName ? " AND function_name = {fn:String}" : ""}
      GROUP BY target_id HAVING argMax(value, timestamp) ${FEEDBACK_OPS[f.feedback.op]} {fb_value:Float64})`);
  }
  const query = `SELECT id, episode_id, timestamp, function_name, variant_name, model_name, status, latency_ms, input_tokens, output_tokens,
      cost, cached, substring(if(isValidJSON(output), JSONExtractString(output, 'content'), output), 1, 160) AS preview
    FROM inferences WHERE ${where.join(" AND ")}${tagCondition(f.tags ?? [], params)}
    ORDER BY timestamp DESC, id DESC LIMIT {limit:UInt32}`;
  const found = await rows(client, query, params, listRow);
  const page = found.slice(0, f.limit);
  const last = page.at(-1);
  return {
    items: page.map((r) => ({
      id: r.id,
      episodeId: r.episode_id,
      timestamp: chTimeToMs(r.timestamp),
      functionName: r.function_name,
      variantName: r.variant_name,
      modelName: r.model_name,
      status: r.status,
      latencyMs: r.latency_ms,
      inputTokens: r.input_tokens,
      outputTokens: r.output_tokens,
      cost: r.cost ?? 0,
      cached: r.cached,
      preview: r.preview,
    })),
    next: found.length > f.limit && last ? { ts: last.timestamp, id: last.id } : null,
  };
}

/** Values for the browser's filter menus over [from, to). */
export async function inferenceFacets(client: ClickHouseClient, from: number, to: number, functionName?: string): Promise<InferenceFacets> {
  const params: Params = { from: toChSeconds(Math.floor(from / 3_600_000) * 3_600_000), to: toChSeconds(to), fn: functionName ?? "" };
  const inFn = functionName ? " AND function_name = {fn:String}" : "";
  const bounds = "bucket >= {from:DateTime('UTC')} AND bucket < {to:DateTime('UTC')}";
  const names = z.object({ name: z.string() });
  const pick = async (query: string) => (await rows(client, query, params, names)).map((r) => r.name);
  return {
    functions: await pick(`SELECT DISTINCT function_name AS name FROM inference_rollup_1h WHERE ${bounds} ORDER BY name LIMIT 500`),
    variants: await pick(`SELECT DISTINCT variant_name AS name FROM inference_rollup_1h WHERE ${bounds}${inFn} ORDER BY name LIMIT 500`),
    models: await pick(`SELECT DISTINCT model_name AS name FROM inferences
      WHERE timestamp >= {from:DateTime('UTC')} AND timestamp < {to:DateTime('UTC')}${inFn} ORDER BY name LIMIT 500`),
    metrics: await pick(`SELECT DISTINCT metric_name AS name FROM feedback_rollup_1h WHERE ${bounds}${inFn} ORDER BY name LIMIT 500`),
  };
}

const detailRow = z.object({
  id: z.string(),
  episode_id: z.string(),
  function_name: z.string(),
  variant_name: z.string(),
  model_name: z.string(),
  provider_name: z.string(),
  prompt_version: z.string(),
  input: z.string(),
  output: z.string(),
  input_tokens: count,
  output_tokens: count,
  cost: real,
  latency_ms: count,
  ttft_ms: real,
  status: z.string(),
  error: z.string(),
  cached: z.union([z.boolean(), z.number()]).transform(Boolean),
  streamed: z.union([z.boolean(), z.number()]).transform(Boolean),
  tags: z.record(z.string(), z.string()),
  timestamp: z.string(),
  trace_id: z.string().default(""),
});

const callRow = z.object({
  id: z.string(),
  attempt: count,
  model_name: z.string(),
  provider_name: z.string(),
  status: z.string(),
  error: z.string(),
  latency_ms: count,
  ttft_ms: real,
  input_tokens: count,
  output_tokens: count,
  cost: real,
  request: z.string(),
  response: z.string(),
  timestamp: z.string(),
});

const feedbackRow = z.object({
  id: z.string(),
  target_type: z.string(),
  metric_name: z.string(),
  kind: z.string(),
  value: real,
  text: z.string(),
  tags: z.record(z.string(), z.string()),
  timestamp: z.string(),
});

/** One inference with its model calls, feedback (on it and on its episode) and its episode's inferences. */
export async function getInference(client: ClickHouseClient, id: string): Promise<InferenceDetail | undefined> {
  const keys = await rows(
    client,
    "SELECT function_name, variant_name, timestamp FROM inference_by_id WHERE id = {id:UUID} LIMIT 1",
    { id },
    z.object({ function_name: z.string(), variant_name: z.string(), timestamp: z.string() }),
  );
  const key = keys[0];
  if (!key) return undefined;
  // The lookup gives the sort-key prefix, so the wide row is read from one granule.
  const [row] = await rows(
    client,
    `SELECT * FROM inferences WHERE function_name = {fn:String} AND variant_name = {variant:String}
       AND timestamp = {ts:DateTime64(3, 'UTC')} AND id = {id:UUID} LIMIT 1`,
    { fn: key.function_name, variant: key.variant_name, ts: key.timestamp, id },
    detailRow,
  );
  if (!row) return undefined;
  const calls = await rows(
    client,
    `SELECT id, attempt, model_name, provider_name, status, error, latency_ms, ttft_ms, input_tokens, output_tokens, cost, request, response, timestamp
     FROM model_calls WHERE inference_id = {id:UUID} ORDER BY attempt`,
    { id },
    callRow,
  );
  const feedback = await rows(
    client,
    `SELECT id, target_type, metric_name, kind, value, text, tags, timestamp FROM feedback
     WHERE function_name = {fn:String} AND id IN (SELECT id FROM feedback_by_target WHERE target_id IN ({id:UUID}, {episode:UUID}))
     ORDER BY timestamp DESC LIMIT 500`,
    { fn: row.function_name, id, episode: row.episode_id },
    feedbackRow,
  );
  const episode = await rows(
    client,
    "SELECT id, variant_name, timestamp FROM inference_by_episode WHERE episode_id = {episode:UUID} ORDER BY timestamp, id LIMIT 200",
    { episode: row.episode_id },
    z.object({ id: z.string(), variant_name: z.string(), timestamp: z.string() }),
  );
  return {
    id: row.id,
    episodeId: row.episode_id,
    functionName: row.function_name,
    variantName: row.variant_name,
    modelName: row.model_name,
    providerName: row.provider_name,
    promptVersion: row.prompt_version,
    input: row.input,
    output: row.output,
    inputTokens: row.input_tokens,
    outputTokens: row.output_tokens,
    cost: row.cost ?? 0,
    latencyMs: row.latency_ms,
    ttftMs: row.ttft_ms,
    status: row.status,
    error: row.error,
    cached: row.cached,
    streamed: row.streamed,
    tags: row.tags,
    timestamp: chTimeToMs(row.timestamp),
    traceId: row.trace_id || null,
    modelCalls: calls.map((c) => ({
      id: c.id,
      attempt: c.attempt,
      modelName: c.model_name,
      providerName: c.provider_name,
      status: c.status,
      error: c.error,
      latencyMs: c.latency_ms,
      ttftMs: c.ttft_ms,
      inputTokens: c.input_tokens,
      outputTokens: c.output_tokens,
      cost: c.cost ?? 0,
      request: c.request,
      response: c.response,
      timestamp: chTimeToMs(c.timestamp),
    })),
    feedback: feedback.map((f) => ({
      id: f.id,
      targetType: f.target_type,
      metricName: f.metric_name,
      kind: f.kind,
      value: f.value ?? 0,
      text: f.text,
      tags: f.tags,
      timestamp: chTimeToMs(f.timestamp),
    })),
    episode: episode.map((e) => ({ id: e.id, variantName: e.variant_name, timestamp: chTimeToMs(e.timestamp) })),
  };
}

const cascadeRow = z.object({
  variant_name: z.string(),
  n: count,
  escalated: count,
  cost: real,
  input_tokens: count,
  output_tokens: count,
});

/** Per cascade variant (inferences tagged `llmops.cascade`): answered inferences, escalated ones, cost and tokens. */
export async function cascadeStats(client: ClickHouseClient, functionName: string, from: number, to: number): Promise<CascadeRow[]> {
  const params: Params = { fn: functionName, from: toChSeconds(from), to: toChSeconds(to), tag: "llmops.cascade" };
  const found = await rows(
    client,
    `SELECT variant_name, count() AS n, countIf(tags[{tag:String}] != '0') AS escalated, sum(cost) AS cost,
        sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens
      FROM inferences WHERE function_name = {fn:String} AND timestamp >= {from:DateTime('UTC')} AND timestamp < {to:DateTime('UTC')}
        AND status = 'ok' AND mapContains(tags, {tag:String})
      GROUP BY variant_name ORDER BY variant_name`,
    params,
    cascadeRow,
  );
  return found.map((r) => ({
    variant: r.variant_name,
    inferences: r.n,
    escalated: r.escalated,
    cost: r.cost ?? 0,
    inputTokens: r.input_tokens,
    outputTokens: r.output_tokens,
  }));
}
