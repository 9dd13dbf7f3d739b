import { forLogScale, seriesColor, smoothEma, type Point, type Series } from "./series";

/**
 * Metric-history charts: the server sends each (run, key) reduced to min/max buckets; these pure
 * functions turn buckets into series and apply the view's choices (x axis, smoothing, log scale).
 */
export interface Bucket {
  runId: string;
  key: string;
  xLo: number;
  yLo: number;
  xHi: number;
  yHi: number;
  xFirst: number;
  yFirst: number;
  xLast: number;
  yLast: number;
  n: number;
}

export interface HistorySeries {
  runId: string;
  key: string;
  /** [x, y] pairs sorted by x. */
  points: [number, number][];
  /** Points recorded, before downsampling. */
  total: number;
}

/**
 * Buckets per series of one chart request (each bucket draws at most 4 points: first, min, max,
 * last): fewer when many runs or keys are drawn. The budget, about 12,000 points, is what a page of
 * charts a few hundred pixels wide can show; more only makes the page heavier to send and draw
 * (10 runs × 4 metrics get 75 buckets, up to 300 points a line, peaks and dips kept).
 */
export function bucketsFor(runCount: number, keyCount: number, budget = 12_000): number {
  const series = Math.max(1, runCount * keyCount);
  return Math.max(20, Math.min(500, Math.floor(budget / (4 * series))));
}

/** Each bucket's first, min, max and last points in x order (each once), series in request order. */
export function bucketsToSeries(buckets: readonly Bucket[]): HistorySeries[] {
  const out = new Map<string, HistorySeries>();
  for (const b of buckets) {
    const id = JSON.stringify([b.runId, b.key]);
    let series = out.get(id);
    if (!series) {
      series = { runId: b.runId, key: b.key, points: [], total: 0 };
      out.set(id, series);
    }
    series.total += b.n;
    const kept: [number, number][] = [];
    for (const point of [
      [b.xFirst, b.yFirst],
      [b.xLo, b.yLo],
      [b.xHi, b.yHi],
      [b.xLast, b.yLast],
    ] as [number, number][]) {
      if (!kept.some((k) => k[0] === point[0] && k[1] === point[1])) kept.push(point);
    }
    kept.sort((p, q) => p[0] - q[0]);
    series.points.push(...kept);
  }
  for (const s of out.values()) s.points.sort((p, q) => p[0] - q[0]);
  return [...out.values()];
}

export type XMode = "step" | "relative" | "wall";

export interface ChartOptions {
  x: XMode;
  /** EMA weight in [0, 1); 0 is off. */
  smoothing: number;
  logScale: boolean;
}

/**
 * Chart series for one metric over several runs. Relative time starts each run at 0 (its first
 * point); the label of each series is the run's name, its colour the run's place in `runs`.
 */
export function prepareMetricChart(
  history: readonly HistorySeries[],
  key: string,
  runs: readonly { runId: string; runName: string }[],
  options: ChartOptions,
): Series[] {
  return runs.flatMap((run, index) => {
    const found = history.find((h) => h.runId === run.runId && h.key === key);
    if (!found || found.points.length === 0) return [];
    const origin = options.x === "relative" ? (found.points[0]?.[0] ?? 0) : 0;
    let points: Point[] = found.points.map(([x, y]) => ({ x: x - origin, y }));
    points = smoothEma(points, options.smoothing);
    if (options.logScale) points = forLogScale(points);
    return [{ key: `r_${run.runId}`, label: run.runName || run.runId.slice(0, 8), points, color: seriesColor(index) }];
  });
}
