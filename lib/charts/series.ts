/**
 * Pure preparation of chart data: everything that decides what a chart shows (gaps, smoothing,
 * scales, downsampling, merging series) lives here and is unit-tested; components/charts/ only
 * renders what these functions return.
 */

export interface Point {
  x: number;
  /** null is a known gap (no value recorded), drawn as a break, never as zero. */
  y: number | null;
}

export interface Series {
  key: string;
  label: string;
  points: Point[];
  /** A fixed colour, so one run keeps its colour across charts that skip some runs. */
  color?: string;
}

/** One row per x for recharts: `{ x, [seriesKey]: y | null }`. */
export type ChartRow = { x: number } & Record<string, number | null>;

/**
 * Exponential moving average as TensorBoard and MLflow apply it, debiased so the first points
 * are not pulled towards zero. `weight` 0 leaves the series as is; 0.99 is very smooth.
 * Gaps stay gaps and do not reset the average; non-finite values pass through unsmoothed.
 */
export function smoothEma(points: Point[], weight: number): Point[] {
  if (weight <= 0) return points;
  const w = Math.min(weight, 0.999);
  let last = 0;
  let steps = 0;
  return points.map((p) => {
    if (p.y === null || !Number.isFinite(p.y)) return p;
    last = last * w + (1 - w) * p.y;
    steps += 1;
    return { x: p.x, y: last / (1 - w ** steps) };
  });
}

/** On a log axis zero and negative values cannot be drawn: they become gaps rather than lies. */
export function forLogScale(points: Point[]): Point[] {
  return points.map((p) => (p.y !== null && p.y <= 0 ? { x: p.x, y: null } : p));
}

/**
 * Reduces a long series to at most `maxPoints` while keeping its shape: each bucket keeps its
 * minimum and maximum (in x order), so spikes survive. Gaps inside a bucket are kept once.
 */
export function downsampleMinMax(points: Point[], maxPoints: number): Point[] {
  if (points.length <= maxPoints || maxPoints < 4) return points;
  const buckets = Math.floor(maxPoints / 2);
  const size = points.length / buckets;
  const out: Point[] = [];
  for (let b = 0; b < buckets; b++) {
    const slice = points.slice(Math.floor(b * size), Math.floor((b + 1) * size));
    let min: Point | undefined;
    let max: Point | undefined;
    let gap: Point | undefined;
    for (const p of slice) {
      if (p.y === null || !Number.isFinite(p.y)) {
        gap ??= p;
        continue;
      }
      if (!min || p.y < (min.y as number)) min = p;
      if (!max || p.y > (max.y as number)) max = p;
    }
    const kept = [min, max, gap].filter((p): p is Point => p !== undefined);
    kept.sort((a, c) => a.x - c.x);
    for (const p of kept) if (out.at(-1) !== p) out.push(p);
  }
  return out;
}

/** Merges series into rows sorted by x; a series with no point at some x gets null there. */
export function toRows(series: Series[]): ChartRow[] {
  const byX = new Map<number, ChartRow>();
  for (const s of series) {
    for (const p of s.points) {
      let row = byX.get(p.x);
      if (!row) {
        row = { x: p.x } as ChartRow;
        byX.set(p.x, row);
      }
      row[s.key] = p.y;
    }
  }
  const keys = series.map((s) => s.key);
  return [...byX.values()]
    .sort((a, b) => a.x - b.x)
    .map((row) => {
      for (const k of keys) if (!(k in row)) row[k] = null;
      return row;
    });
}

/** The colour of the i-th series, from the theme's --chart-N variables (cycled). */
export function seriesColor(index: number, palette = 5): string {
  return `var(--chart-${(index % palette) + 1})`;
}

/** A y-axis domain that never hides data and never invents a zero baseline for ratios. */
export function yDomain(series: Series[], { includeZero = false } = {}): [number, number] | undefined {
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of series) for (const p of s.points) if (p.y !== null && Number.isFinite(p.y)) {
    lo = Math.min(lo, p.y);
    hi = Math.max(hi, p.y);
  }
  if (lo === Infinity) return undefined;
  if (includeZero) {
    lo = Math.min(lo, 0);
    hi = Math.max(hi, 0);
  }
  if (lo === hi) return [lo - (Math.abs(lo) || 1) * 0.05, hi + (Math.abs(hi) || 1) * 0.05];
  const pad = (hi - lo) * 0.05;
  return [includeZero && lo === 0 ? 0 : lo - pad, hi + pad];
}
