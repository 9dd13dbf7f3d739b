import type { Unit } from "@/lib/charts/format";
import type { Series } from "@/lib/charts/series";
import type { FunctionReport, MetricInfo, MetricPoint, RangeInfo, VariantPoint, VariantStats } from "./schemas";

/**
 * What the function page's charts and table show, decided here and unit-tested; the chart
 * components only draw it. Per-bucket totals (requests, tokens, cost, errors) are 0 in a bucket
 * without traffic, which is the truth; ratios and percentiles are gaps there, never a made-up 0.
 */
export type Percentile = "p50" | "p95" | "p99";

export interface ChartSpec {
  key: string;
  title: string;
  /** Axis label with its unit. */
  yLabel: string;
  unit: Unit;
  /** Zero-based axis: for totals and for rates between 0 and 1, where a cut axis would exaggerate. */
  includeZero: boolean;
  value: (p: VariantStats) => number | null;
  /** Value in a bucket with no traffic. */
  empty: 0 | null;
}

const ratio = (a: number, b: number) => (b > 0 ? a / b : null);
const PICK: Record<"latency" | "ttft", Record<Percentile, (p: VariantStats) => number | null>> = {
  latency: { p50: (p) => p.latencyP50, p95: (p) => p.latencyP95, p99: (p) => p.latencyP99 },
  ttft: { p50: (p) => p.ttftP50, p95: (p) => p.ttftP95, p99: (p) => p.ttftP99 },
};
const pct = (p: VariantStats, which: Percentile, kind: "latency" | "ttft") => PICK[kind][which](p);

export function variantCharts(percentile: Percentile): ChartSpec[] {
  return [
    { key: "requests", title: "Traffic", yLabel: "Requests", unit: "count", includeZero: true, value: (p) => p.requests, empty: 0 },
    {
      key: "latency",
      title: `Latency ${percentile}`,
      yLabel: "Latency",
      unit: "ms",
      includeZero: true,
      value: (p) => pct(p, percentile, "latency"),
      empty: null,
    },
    {
      key: "ttft",
      title: `Time to first token ${percentile}`,
      yLabel: "TTFT",
      unit: "ms",
      includeZero: true,
      value: (p) => (p.ttftCount > 0 ? pct(p, percentile, "ttft") : null),
      empty: null,
    },
    {
      key: "tokens",
      title: "Tokens",
      yLabel: "Tokens (in + out)",
      unit: "tokens",
      includeZero: true,
      value: (p) => p.inputTokens + p.outputTokens,
      empty: 0,
    },
    { key: "cost", title: "Cost", yLabel: "Cost (USD)", unit: "usd", includeZero: true, value: (p) => p.cost, empty: 0 },
    {
      key: "errors",
      title: "Error rate",
      yLabel: "Error rate",
      unit: "percent",
      includeZero: true,
      value: (p) => ratio(p.errors, p.requests),
      empty: null,
    },
    {
      key: "cache",
      title: "Cache hit rate",
      yLabel: "Cache hits",
      unit: "percent",
      includeZero: true,
      value: (p) => ratio(p.cacheHits, p.requests),
      empty: null,
    },
  ];
}

/** Start of every bucket of the range, oldest first. */
export function bucketStarts(range: RangeInfo): number[] {
  const step = range.bucketSeconds * 1000;
  const out: number[] = [];
  for (let t = range.from; t < range.to && out.length < 10_000; t += step) out.push(t);
  return out;
}

/**
 * One series per variant, with a point at every bucket of the range. A total in a bucket that is
 * still filling (it ends after `asOf`) would look like a sudden drop, so it is left as a gap.
 */
export function variantSeries(points: VariantPoint[], variants: string[], range: RangeInfo, spec: ChartSpec): Series[] {
  const times = bucketStarts(range);
  const step = range.bucketSeconds * 1000;
  return variants.map((variant) => {
    const byT = new Map(points.filter((p) => p.variant === variant).map((p) => [p.t, p]));
    return {
      key: variant,
      label: variant,
      points: times.map((x) => {
        if (spec.empty === 0 && x + step > range.asOf) return { x, y: null };
        const p = byT.get(x);
        return { x, y: p ? spec.value(p) : spec.empty };
      }),
    };
  });
}

/** True when the range's last bucket is still filling (totals charts leave it out). */
export const lastBucketPartial = (range: RangeInfo) => range.to > range.asOf;

export interface MetricChart {
  metric: MetricInfo;
  yLabel: string;
  unit: Unit;
  series: Series[];
  /** Range buckets merged into each drawn point (1: as the range's bucket). */
  merge: number;
}

/** Fewest feedback values a drawn point should rest on: a mean of one or two values swings 0–100%. */
export const MIN_VALUES_PER_POINT = 10;
/** A merged chart still has at least this many points over the range. */
export const MIN_METRIC_POINTS = 12;
const MERGE_FACTORS = [1, 2, 3, 4, 6, 8, 12, 24, 48];

/**
 * How many range buckets each point of a metric chart merges: the smallest factor at which the
 * median non-empty point of each variant rests on MIN_VALUES_PER_POINT values, keeping at least
 * MIN_METRIC_POINTS points (else the largest factor that keeps them).
 */
export function metricMerge(rows: Pick<MetricPoint, "t" | "variant" | "n">[], range: RangeInfo): number {
  const buckets = bucketStarts(range).length;
  const step = range.bucketSeconds * 1000;
  const allowed = MERGE_FACTORS.filter((k) => k === 1 || buckets / k >= MIN_METRIC_POINTS);
  const enough = (k: number) => {
    const perPoint = new Map<string, number>();
    for (const r of rows) {
      const key = `${r.variant}\u0000${Math.floor((r.t - range.from) / step / k)}`;
      perPoint.set(key, (perPoint.get(key) ?? 0) + r.n);
    }
    const byVariant = new Map<string, number[]>();
    for (const [key, n] of perPoint) {
      const v = key.split("\u0000")[0]!;
      byVariant.set(v, [...(byVariant.get(v) ?? []), n]);
    }
    return [...byVariant.values()].every((ns) => median(ns) >= MIN_VALUES_PER_POINT);
  };
  return allowed.find(enough) ?? allowed.at(-1) ?? 1;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/**
 * Mean (or rate) of a feedback metric per variant, over points of `metricMerge` buckets (a
 * count-weighted mean of the buckets' means); points without feedback are gaps.
 */
export function metricCharts(report: Pick<FunctionReport, "function" | "metricSeries" | "range">, variants: string[]): MetricChart[] {
  const times = bucketStarts(report.range);
  const step = report.range.bucketSeconds * 1000;
  return report.function.metrics.map((metric) => {
    const rows = report.metricSeries.filter((p) => p.metric === metric.name);
    const boolean = metric.type === "boolean";
    const merge = metricMerge(rows, report.range);
    const starts = times.filter((_, i) => i % merge === 0);
    return {
      metric,
      yLabel: boolean ? "% true" : "Mean",
      unit: boolean ? "percent" : "none",
      merge,
      series: variants.map((variant) => {
        const sums = new Map<number, { n: number; total: number }>();
        for (const p of rows) {
          if (p.variant !== variant || p.mean === null || p.n <= 0) continue;
          const x = starts[Math.floor((p.t - report.range.from) / step / merge)] ?? p.t;
          const acc = sums.get(x) ?? { n: 0, total: 0 };
          sums.set(x, { n: acc.n + p.n, total: acc.total + p.n * p.mean });
        }
        return {
          key: variant,
          label: variant,
          points: starts.map((x) => {
            const acc = sums.get(x);
            return { x, y: acc ? acc.total / acc.n : null };
          }),
        };
      }),
    };
  });
}

/** Variants to draw: configured ones first (in order), then any other with data, each once. */
export function variantOrder(report: Pick<FunctionReport, "function" | "summary">): string[] {
  const names = [...report.function.variants.map((v) => v.name), ...report.summary.map((s) => s.variant)];
  return [...new Set(names)];
}

export interface SummaryRow {
  variant: string;
  weight: number | null;
  /** Share of the function's requests in the range. */
  share: number | null;
  stats: VariantStats | null;
  errorRate: number | null;
  cacheHitRate: number | null;
  costPerRequest: number | null;
  metrics: Record<string, { n: number; mean: number | null }>;
}

export function summaryRows(report: Pick<FunctionReport, "function" | "summary" | "metricSummary">): SummaryRow[] {
  const total = report.summary.reduce((a, s) => a + s.requests, 0);
  const weights = new Map(report.function.variants.map((v) => [v.name, v.weight]));
  return variantOrder(report).map((variant) => {
    const stats = report.summary.find((s) => s.variant === variant) ?? null;
    const metrics: SummaryRow["metrics"] = {};
    for (const m of report.metricSummary) if (m.variant === variant) metrics[m.metric] = { n: m.n, mean: m.mean };
    return {
      variant,
      weight: weights.get(variant) ?? null,
      share: stats && total > 0 ? stats.requests / total : null,
      stats,
      errorRate: stats ? ratio(stats.errors, stats.requests) : null,
      cacheHitRate: stats ? ratio(stats.cacheHits, stats.requests) : null,
      costPerRequest: stats ? ratio(stats.cost, stats.requests) : null,
      metrics,
    };
  });
}
