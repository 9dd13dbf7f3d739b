import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestClickHouse, type TestClickHouse } from "@/db/test/clickhouse";
import { toClickHouseTime, type FeedbackRow, type InferenceRow } from "@/lib/inference/tables";
import { abDailyStats } from "./ab-queries.server";
import { listFunctions } from "./function-queries.server";
import { metricSeries, metricSummary } from "./metric-stats.server";
import { variantSeries, variantSummary } from "./variant-stats.server";
import { parseConfig } from "@/lib/gateway/config";
import { fromGatewayConfig, functionInfo } from "./catalog.server";
import { resolveRange } from "./range";

// Real rows into the real tables (chDB): the materialized views of 0004 fill the rollups, and
// each rollup answer is checked against the same aggregate computed on the raw log.
const T0 = Date.parse("2026-11-20T00:00:00Z");
const HOUR = 3_600_000;

function rng(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2_147_483_648;
    return s / 2_147_483_648;
  };
}

const uuid = (prefix: number, n: number) =>
  `0193a5b0-${prefix.toString(16).padStart(4, "0")}-7000-8000-${n.toString(16).padStart(12, "0")}`;

function makeInferences(count: number): InferenceRow[] {
  const random = rng(7);
  return Array.from({ length: count }, (_, i) => {
    const variant = random() < 0.5 ? "concise" : "detailed";
    const at = T0 + Math.floor(random() * 72 * HOUR);
    return {
      id: uuid(1, i),
      episode_id: uuid(2, Math.floor(i / 3)),
      function_name: "summarize",
      variant_name: variant,
      model_name: variant === "concise" ? "small" : "large",
      provider_name: "dummy",
      prompt_version: "",
      input: JSON.stringify({ messages: [{ role: "user", content: `q${i}` }] }),
      output: JSON.stringify({ content: `a${i}` }),
      input_tokens: 10 + Math.floor(random() * 90),
      output_tokens: 5 + Math.floor(random() * 200),
      cost: random() / 1000,
      latency_ms: Math.floor(50 + random() * 2000),
      ttft_ms: random() < 0.4 ? Math.floor(10 + random() * 300) : null,
      status: random() < 0.05 ? "error" : "ok",
      error: "",
      cached: random() < 0.1,
      streamed: false,
      tags: { user: `u${i % 4}`, env: i % 2 === 0 ? "prod" : "staging" },
      timestamp: toClickHouseTime(new Date(at)),
    };
  });
}

const feedback = (i: number, over: Partial<FeedbackRow>): FeedbackRow => ({
  id: uuid(3, i),
  target_type: "inference",
  target_id: uuid(1, 0),
  function_name: "summarize",
  variant_name: "concise",
  metric_name: "helpful",
  kind: "boolean",
  value: 1,
  text: "",
  tags: {},
  timestamp: toClickHouseTime(new Date(T0 + HOUR)),
  ...over,
});

describe("dashboard queries on the rollups", () => {
  let ch: TestClickHouse;
  const inferences = makeInferences(6000);
  const feedbackRows: FeedbackRow[] = [];

  beforeAll(async () => {
    ch = await openTestClickHouse();
    // Two batches, so the rollups hold partial states for the same minute that must merge.
    await ch.store.client.insert({ table: "inferences", values: inferences.slice(0, 3000), format: "JSONEachRow" });
    await ch.store.client.insert({ table: "inferences", values: inferences.slice(3000), format: "JSONEachRow" });
    const random = rng(11);
    inferences.slice(0, 2000).forEach((inf, i) => {
      const at = Date.parse(`${inf.timestamp.replace(" ", "T")}Z`) + 60_000;
      feedbackRows.push(
        feedback(i, {
          target_id: inf.id,
          variant_name: inf.variant_name,
          value: random() < 0.6 ? 1 : 0,
          timestamp: toClickHouseTime(new Date(at)),
        }),
      );
    });
    await ch.store.client.insert({ table: "feedback", values: feedbackRows, format: "JSONEachRow" });
  });
  afterAll(() => ch?.cleanup());

  async function raw<T>(query: string, params: Record<string, unknown> = {}): Promise<T[]> {
    const result = await ch.store.client.query({ query, query_params: params, format: "JSONEachRow" });
    return result.json<T>();
  }

  it.each([
    ["6 hours (minute rollup)", T0 + 2 * HOUR, T0 + 8 * HOUR],
    ["3 days (hour rollup)", T0, T0 + 72 * HOUR],
  ])("agrees with raw aggregates over %s", async (_label, from, to) => {
    const range = resolveRange(from, to);
    const summary = await variantSummary(ch.store.client, { functionName: "summarize", range });
    const expected = await raw<{
      variant_name: string;
      n: string;
      e: string;
      c: string;
      tin: string;
      tout: string;
      cost: number;
      lat: string;
      q: number[];
      tn: string;
      tq: number[];
    }>(
      `SELECT variant_name, count() AS n, countIf(status != 'ok') AS e, countIf(cached) AS c, sum(input_tokens) AS tin, sum(output_tokens) AS tout,
         sum(cost) AS cost, sum(latency_ms) AS lat, quantilesExact(0.5, 0.95, 0.99)(latency_ms) AS q, countIf(ttft_ms IS NOT NULL) AS tn,
         quantilesExact(0.5, 0.95)(assumeNotNull(ttft_ms)) AS tq_all, quantilesExactIf(0.5, 0.95)(assumeNotNull(ttft_ms), ttft_ms IS NOT NULL) AS tq
       FROM inferences WHERE timestamp >= fromUnixTimestamp64Milli({from:Int64}) AND timestamp < fromUnixTimestamp64Milli({to:Int64})
       GROUP BY variant_name ORDER BY variant_name`,
      { from: range.from, to: range.to },
    );
    expect(summary.map((s) => s.variant)).toEqual(["concise", "detailed"]);
    for (const [i, s] of summary.entries()) {
      const e = expected[i];
      if (!e) throw new Error("missing raw row");
      expect(s.requests).toBe(Number(e.n));
      expect(s.errors).toBe(Number(e.e));
      expect(s.cacheHits).toBe(Number(e.c));
      expect(s.inputTokens).toBe(Number(e.tin));
      expect(s.outputTokens).toBe(Number(e.tout));
      expect(s.cost).toBeCloseTo(e.cost, 9);
      expect(s.latencyMean).toBeCloseTo(Number(e.lat) / Number(e.n), 6);
      expect(s.ttftCount).toBe(Number(e.tn));
      // Percentiles from the 1.03-ratio histogram: within 1.5% of the exact ones (2% allowed).
      const close = (got: number | null, exact: number | undefined) => expect(Math.abs((got ?? 0) / (exact ?? 1) - 1)).toBeLessThan(0.02);
      close(s.latencyP50, e.q[0]);
      close(s.latencyP95, e.q[1]);
      close(s.latencyP99, e.q[2]);
      close(s.ttftP50, e.tq[0]);
      close(s.ttftP95, e.tq[1]);
    }
    const series = await variantSeries(ch.store.client, { functionName: "summarize", range });
    const perBucket = await raw<{ v: string; t: string; n: string }>(
      `SELECT variant_name AS v, toUnixTimestamp(toStartOfInterval(toDateTime(timestamp, 'UTC'), toIntervalSecond({step:UInt32}))) * 1000 AS t, count() AS n
       FROM inferences WHERE timestamp >= fromUnixTimestamp64Milli({from:Int64}) AND timestamp < fromUnixTimestamp64Milli({to:Int64})
       GROUP BY v, t ORDER BY t, v`,
      { from: range.from, to: range.to, step: range.bucket.seconds },
    );
    expect(series.map((p) => [p.variant, p.t, p.requests])).toEqual(perBucket.map((r) => [r.v, Number(r.t), Number(r.n)]));
  });

  it("falls back to the raw log under a tag filter, counting only tagged inferences", async () => {
    const range = resolveRange(T0, T0 + 72 * HOUR);
    const tags = [
      { key: "env", value: "prod" },
      { key: "user", value: "u2" },
    ];
    const summary = await variantSummary(ch.store.client, { functionName: "summarize", range, tags });
    const expected = inferences.filter((i) => i.tags.env === "prod" && i.tags.user === "u2");
    expect(summary.reduce((a, s) => a + s.requests, 0)).toBe(expected.length);
    expect(summary.find((s) => s.variant === "concise")?.requests).toBe(expected.filter((i) => i.variant_name === "concise").length);
    const series = await variantSeries(ch.store.client, { functionName: "summarize", range, tags });
    expect(series.reduce((a, p) => a + p.requests, 0)).toBe(expected.length);
    // Feedback follows the tagged inferences too.
    const metrics = await metricSummary(ch.store.client, { functionName: "summarize", range, tags });
    const taggedIds = new Set(expected.map((i) => i.id));
    const fb = feedbackRows.filter((f) => taggedIds.has(f.target_id) && Date.parse(`${f.timestamp.replace(" ", "T")}Z`) < range.to);
    expect(metrics.reduce((a, m) => a + m.n, 0)).toBe(fb.length);
  });

  it("gives metric means per variant from the feedback rollup, equal to the raw ones", async () => {
    const range = resolveRange(T0, T0 + 72 * HOUR);
    const metrics = await metricSummary(ch.store.client, { functionName: "summarize", range });
    const inRange = feedbackRows.filter((f) => Date.parse(`${f.timestamp.replace(" ", "T")}Z`) < range.to);
    for (const variant of ["concise", "detailed"]) {
      const rows = inRange.filter((f) => f.variant_name === variant);
      const m = metrics.find((x) => x.variant === variant && x.metric === "helpful");
      expect(m?.n).toBe(rows.length);
      expect(m?.mean).toBeCloseTo(rows.reduce((a, r) => a + r.value, 0) / rows.length, 9);
    }
    const series = await metricSeries(ch.store.client, { functionName: "summarize", range });
    expect(series.reduce((a, p) => a + p.n, 0)).toBe(inRange.length);
  });

  it("infers variants and metric settings from the data when nothing configures the function", async () => {
    const info = await functionInfo(ch.store.client, "summarize", T0, T0 + 72 * HOUR, []);
    expect(info).toEqual({
      name: "summarize",
      source: "data",
      variants: [
        { name: "concise", weight: null },
        { name: "detailed", weight: null },
      ],
      metrics: [{ name: "helpful", type: "boolean", optimize: "max", level: "inference", declared: false }],
    });
    expect(await functionInfo(ch.store.client, "unknown", T0, T0 + 72 * HOUR, [])).toBeUndefined();
  });

  it("takes variants, weights and metrics from the gateway's configuration, keeping unconfigured data visible", async () => {
    const config = parseConfig(`
[providers.d]
type = "dummy"
[models.m]
routing = [{ provider = "d", model = "m" }]
[functions.summarize.variants.concise]
model = "m"
weight = 3
[functions.summarize.variants.spare]
model = "m"
weight = 0
[metrics.score]
type = "float"
optimize = "min"
level = "episode"
[metrics.helpful]
type = "boolean"
`);
    const info = await functionInfo(ch.store.client, "summarize", T0, T0 + 72 * HOUR, fromGatewayConfig(config));
    expect(info?.source).toBe("config");
    // "detailed" has traffic but left the configuration: shown, without a weight.
    expect(info?.variants).toEqual([
      { name: "concise", weight: 3 },
      { name: "spare", weight: 0 },
      { name: "detailed", weight: null },
    ]);
    // Metrics with feedback for this function come first.
    expect(info?.metrics).toEqual([
      { name: "helpful", type: "boolean", optimize: "max", level: "inference", declared: true },
      { name: "score", type: "float", optimize: "min", level: "episode", declared: true },
    ]);
  });

  it("lists functions with their headline numbers", async () => {
    const list = await listFunctions(ch.store.client, resolveRange(T0, T0 + 72 * HOUR));
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({
      name: "summarize",
      variants: 2,
      requests: 6000,
      errors: inferences.filter((i) => i.status !== "ok").length,
    });
  });
});

describe("A/B statistics per target", () => {
  let ch: TestClickHouse;
  beforeAll(async () => {
    ch = await openTestClickHouse();
    const inf = (i: number, episode: number, variant: string): InferenceRow => ({
      ...makeInferences(1)[0]!,
      id: uuid(5, i),
      episode_id: uuid(6, episode),
      variant_name: variant,
      timestamp: toClickHouseTime(new Date(T0 + i * 1000)),
    });
    // Keep superseded feedback rows unmerged, so the tests see what a reader meets before a merge.
    await ch.store.client.command({ query: "SYSTEM STOP MERGES feedback_by_metric" });
    // Episodes 1 (A: 2 inferences), 2 (B: 2 inferences), 3 (B: 1 inference).
    await ch.store.client.insert({
      table: "inferences",
      values: [inf(1, 1, "A"), inf(2, 1, "A"), inf(3, 2, "B"), inf(4, 2, "B"), inf(5, 3, "B")],
      format: "JSONEachRow",
    });
    const at = (h: number) => toClickHouseTime(new Date(T0 + h * HOUR));
    await ch.store.client.insert({
      table: "feedback",
      format: "JSONEachRow",
      values: [
        // Inference-level "helpful": inference 1 relabelled from 0 to 1 the next day; the latest counts, once.
        feedback(1, { target_id: uuid(5, 1), variant_name: "A", value: 0, timestamp: at(1) }),
        feedback(3, { target_id: uuid(5, 3), variant_name: "B", value: 1, timestamp: at(2) }),
        feedback(4, { target_id: uuid(5, 4), variant_name: "B", value: 0, timestamp: at(3) }),
        // Episode-level "score": episode 1 has its own value (wins over its inferences'); episode 2 only
        // inference feedback (averaged); episode 3 two episode values (the latest counts).
        feedback(10, {
          metric_name: "score",
          kind: "float",
          target_type: "episode",
          target_id: uuid(6, 1),
          variant_name: "A",
          value: 4,
          timestamp: at(5),
        }),
        feedback(11, { metric_name: "score", kind: "float", target_id: uuid(5, 2), variant_name: "A", value: 1, timestamp: at(5) }),
        feedback(12, { metric_name: "score", kind: "float", target_id: uuid(5, 3), variant_name: "B", value: 2, timestamp: at(6) }),
        feedback(13, { metric_name: "score", kind: "float", target_id: uuid(5, 4), variant_name: "B", value: 3, timestamp: at(7) }),
        feedback(14, {
          metric_name: "score",
          kind: "float",
          target_type: "episode",
          target_id: uuid(6, 3),
          variant_name: "B",
          value: 9,
          timestamp: at(5),
        }),
        feedback(15, {
          metric_name: "score",
          kind: "float",
          target_type: "episode",
          target_id: uuid(6, 3),
          variant_name: "B",
          value: 5,
          timestamp: at(30),
        }),
      ],
    });
    // The relabel arrives later, in its own insert (a block is deduplicated on insert, parts only on merge).
    await ch.store.client.insert({
      table: "feedback",
      format: "JSONEachRow",
      values: [feedback(2, { target_id: uuid(5, 1), variant_name: "A", value: 1, timestamp: at(25) })],
    });
  });
  afterAll(() => ch?.cleanup());

  it("counts each inference once, with its latest value, on the day of that value", async () => {
    const stats = await abDailyStats(ch.store.client, {
      functionName: "summarize",
      metric: "helpful",
      level: "inference",
      from: T0,
      to: T0 + 48 * HOUR,
    });
    // Inferences 3 and 4 are one episode of B: one cluster of two observations summing to 1.
    expect(stats).toEqual([
      { variant: "B", day: T0, n: 2, sum: 1, sumSq: 1, clusters: { count: 1, sumSq: 1, crossSum: 2, sizeSq: 4 } },
      { variant: "A", day: T0 + 24 * HOUR, n: 1, sum: 1, sumSq: 1, clusters: { count: 1, sumSq: 1, crossSum: 1, sizeSq: 1 } },
    ]);
  });

  it("aggregates episode-level metrics per episode first", async () => {
    const stats = await abDailyStats(ch.store.client, {
      functionName: "summarize",
      metric: "score",
      level: "episode",
      from: T0,
      to: T0 + 48 * HOUR,
    });
    expect(stats).toEqual([
      { variant: "A", day: T0, n: 1, sum: 4, sumSq: 16 },
      { variant: "B", day: T0, n: 1, sum: 2.5, sumSq: 6.25 },
      { variant: "B", day: T0 + 24 * HOUR, n: 1, sum: 5, sumSq: 25 },
    ]);
  });

  it("counts a target only when its latest value falls in the window", async () => {
    // Inference 1 was relabelled after the window: its current value is outside, so it is left out
    // even though its older row, inside the window, is still stored (unmerged).
    const stored = await ch.store.client.query({
      query: "SELECT count() AS n FROM feedback_by_metric WHERE target_id = {id:UUID}",
      query_params: { id: uuid(5, 1) },
      format: "JSONEachRow",
    });
    expect(await stored.json()).toEqual([{ n: "2" }]);
    const stats = await abDailyStats(ch.store.client, {
      functionName: "summarize",
      metric: "helpful",
      level: "inference",
      from: T0,
      to: T0 + 24 * HOUR,
    });
    expect(stats).toEqual([{ variant: "B", day: T0, n: 2, sum: 1, sumSq: 1, clusters: { count: 1, sumSq: 1, crossSum: 2, sizeSq: 4 } }]);
    // A window holding only the relabel counts the target once, with its latest value.
    const later = await abDailyStats(ch.store.client, {
      functionName: "summarize",
      metric: "helpful",
      level: "inference",
      from: T0 + 24 * HOUR,
      to: T0 + 48 * HOUR,
    });
    expect(later).toEqual([
      { variant: "A", day: T0 + 24 * HOUR, n: 1, sum: 1, sumSq: 1, clusters: { count: 1, sumSq: 1, crossSum: 1, sizeSq: 1 } },
    ]);
  });
});
