import { describe, expect, it } from "vitest";
import { bucketStarts, metricCharts, metricMerge, summaryRows, variantCharts, variantOrder, variantSeries } from "./prepare";
import type { FunctionReport, VariantPoint, VariantStats } from "./schemas";

const range = { from: 0, to: 4 * 60_000, bucketSeconds: 60, source: "rollup_1m" as const, asOf: 10 * 60_000 };

function stats(variant: string, over: Partial<VariantStats> = {}): VariantStats {
  return {
    variant,
    requests: 10,
    errors: 1,
    cacheHits: 2,
    inputTokens: 100,
    outputTokens: 50,
    cost: 0.5,
    latencyMean: 120,
    latencyP50: 100,
    latencyP95: 200,
    latencyP99: 300,
    ttftCount: 0,
    ttftP50: null,
    ttftP95: null,
    ttftP99: null,
    ...over,
  };
}
const point = (variant: string, t: number, over: Partial<VariantStats> = {}): VariantPoint => ({ ...stats(variant, over), t });

const spec = (key: string, percentile: "p50" | "p95" | "p99" = "p95") => {
  const found = variantCharts(percentile).find((c) => c.key === key);
  if (!found) throw new Error(key);
  return found;
};

describe("variant series", () => {
  it("has a point at every bucket: totals are 0 without traffic, percentiles and rates are gaps", () => {
    const points = [point("a", 0), point("a", 120_000, { requests: 4, errors: 0, latencyP95: 250 })];
    expect(bucketStarts(range)).toEqual([0, 60_000, 120_000, 180_000]);
    const traffic = variantSeries(points, ["a", "b"], range, spec("requests"));
    expect(traffic[0]?.points.map((p) => p.y)).toEqual([10, 0, 4, 0]);
    expect(traffic[1]?.points.map((p) => p.y)).toEqual([0, 0, 0, 0]);
    expect(variantSeries(points, ["a"], range, spec("latency"))[0]?.points.map((p) => p.y)).toEqual([200, null, 250, null]);
    expect(variantSeries(points, ["a"], range, spec("errors"))[0]?.points.map((p) => p.y)).toEqual([0.1, null, 0, null]);
    expect(variantSeries(points, ["a"], range, spec("tokens"))[0]?.points[0]?.y).toBe(150);
  });
  it("leaves totals of a bucket still filling out, but keeps its rates", () => {
    const live = { ...range, asOf: 3 * 60_000 + 30_000 };
    const points = [point("a", 180_000, { requests: 2, errors: 1 })];
    expect(variantSeries(points, ["a"], live, spec("requests"))[0]?.points.map((p) => p.y)).toEqual([0, 0, 0, null]);
    expect(variantSeries(points, ["a"], live, spec("errors"))[0]?.points.at(-1)?.y).toBe(0.5);
  });
  it("picks the percentile asked for, and leaves TTFT out where no request streamed", () => {
    const points = [point("a", 0, { ttftCount: 3, ttftP99: 80 }), point("a", 60_000)];
    expect(variantSeries(points, ["a"], range, spec("latency", "p99"))[0]?.points[0]?.y).toBe(300);
    expect(
      variantSeries(points, ["a"], range, spec("ttft", "p99"))[0]
        ?.points.slice(0, 2)
        .map((p) => p.y),
    ).toEqual([80, null]);
  });
  it("puts totals and rates on zero-based axes with their units", () => {
    for (const c of variantCharts("p95")) expect(c.includeZero).toBe(true);
    expect(spec("errors").unit).toBe("percent");
    expect(spec("cost").unit).toBe("usd");
  });
});

const report: Pick<FunctionReport, "function" | "summary" | "metricSummary" | "metricSeries" | "range"> = {
  function: {
    name: "f",
    source: "config",
    variants: [
      { name: "b", weight: 1 },
      { name: "a", weight: 3 },
    ],
    metrics: [
      { name: "helpful", type: "boolean", optimize: "max", level: "inference", declared: true },
      { name: "score", type: "float", optimize: "max", level: "episode", declared: true },
    ],
  },
  summary: [stats("a", { requests: 30 }), stats("c", { requests: 10, cost: 0 })],
  metricSummary: [{ metric: "helpful", variant: "a", n: 20, mean: 0.75, stddev: 0.4 }],
  metricSeries: [{ metric: "helpful", variant: "a", n: 3, mean: 2 / 3, stddev: 0.5, t: 60_000 }],
  range,
};

describe("summary and metrics", () => {
  it("orders configured variants first and keeps unconfigured ones with data", () => {
    expect(variantOrder(report)).toEqual(["b", "a", "c"]);
  });
  it("computes shares, rates and per-request cost, with nulls for variants without traffic", () => {
    const rows = summaryRows(report);
    expect(rows.map((r) => [r.variant, r.weight, r.share])).toEqual([
      ["b", 1, null],
      ["a", 3, 0.75],
      ["c", null, 0.25],
    ]);
    expect(rows[1]).toMatchObject({
      errorRate: 1 / 30,
      cacheHitRate: 2 / 30,
      costPerRequest: 0.5 / 30,
      metrics: { helpful: { n: 20, mean: 0.75 } },
    });
    expect(rows[0]?.stats).toBeNull();
  });
  it("draws boolean metrics as percentages and float ones as means, with gaps where no feedback came", () => {
    const charts = metricCharts(report, ["a"]);
    expect(charts.map((c) => [c.metric.name, c.unit, c.yLabel])).toEqual([
      ["helpful", "percent", "% true"],
      ["score", "none", "Mean"],
    ]);
    expect(charts[0]?.series[0]?.points.map((p) => p.y)).toEqual([null, 2 / 3, null, null]);
  });
});

describe("metric charts' buckets", () => {
  // 48 hourly buckets; variant a gets 2 values an hour: a point per hour would rest on 2 values.
  const hours = { from: 0, to: 48 * 3_600_000, bucketSeconds: 3_600, source: "rollup_1h" as const, asOf: 48 * 3_600_000 };
  const rows = Array.from({ length: 48 }, (_, h) => ({
    metric: "helpful",
    variant: "a",
    n: 2,
    mean: h % 2,
    stddev: 0.5,
    t: h * 3_600_000,
  }));

  it("merges buckets until a point rests on enough values, keeping at least 12 points", () => {
    // 4 hours make 8 values a point, still short of 10, but 6 hours would leave only 8 points.
    expect(metricMerge(rows, hours)).toBe(4);
    expect(metricMerge(rows, { ...hours, to: 96 * 3_600_000 })).toBe(6);
  });

  it("draws count-weighted means of the merged buckets, so 0–100% hourly spikes become a steady line", () => {
    const chart = metricCharts({ function: report.function, metricSeries: rows, range: hours }, ["a"])[0]!;
    expect(chart.merge).toBe(4);
    expect(chart.series[0]?.points).toHaveLength(12);
    expect(chart.series[0]?.points.every((p) => p.y === 0.5)).toBe(true);
  });

  it("keeps the range's own bucket when every point already has enough values", () => {
    const busy = rows.map((r) => ({ ...r, n: 50 }));
    expect(metricMerge(busy, hours)).toBe(1);
  });
});
