/**
 * Pure preparation of chart data: everything that decides what a chart shows (gaps, smoothing,
 * scales, downsampling, merging series) lives here and is unit-tested; components/charts/ only
 * renders what these functions return.
 */

import { downsampleLttb } from "./lttb";

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

/** One drawn line: a stretch of a series without gaps, with its own points. */
export interface ChartLine {
  dataKey: string;
  /** Index of the series it belongs to (its colour). */
  series: number;
  label: string;
  /** Only a series' first stretch appears in the legend. */
  inLegend: boolean;
  /** Values in this stretch: a stretch of one value is invisible as a line alone. */
  points: number;
  /** Draw a dot at each value: a stretch of one value, or a series too sparse to read from lines. */
  dots: boolean;
  /** The stretch's points in x order, all finite; the line reads `y` at `x`. */
  data: { x: number; y: number }[];
}

/** Below this many values a series is drawn with a dot at each of them, lines alone being hard to read. */
export const SPARSE_SERIES = 24;

/** About a wide chart's pixel width: more points per line only cost SVG work (LTTB keeps the rest's shape). */
export const MAX_LINE_POINTS = 900;

/**
 * The lines to draw. Each series is cut at its gaps (null or non-finite y) into stretches, each
 * drawn as a line holding only its own points: series rarely share their x values (runs log
 * different steps; downsampled buckets keep each run's own extremes), and one table of every x by
 * every line made the renderer walk lines × distinct x's, mostly empty cells, for every chart.
 * `dataKey`s are synthetic (`s<series>_<stretch>`), so series keys with dots or spaces (variant
 * names) are never read as property paths.
 */
export function toChartData(series: Series[]): { lines: ChartLine[] } {
  const lines: ChartLine[] = [];
  series.forEach((s, index) => {
    let stretch = 0;
    let open: ChartLine | undefined;
    const own: ChartLine[] = [];
    for (const p of s.points) {
      if (p.y === null || !Number.isFinite(p.y)) {
        if (open) stretch += 1;
        open = undefined;
        continue;
      }
      if (!open) {
        open = {
          dataKey: `s${index}_${stretch}`,
          series: index,
          label: s.label,
          inLegend: stretch === 0,
          points: 0,
          dots: false,
          data: [],
        };
        own.push(open);
      }
      open.points += 1;
      open.data.push({ x: p.x, y: p.y });
    }
    const values = own.reduce((n, l) => n + l.points, 0);
    for (const line of own) {
      line.dots = line.points === 1 || values < SPARSE_SERIES;
      if (line.data.length > MAX_LINE_POINTS) line.data = downsampleLttb(line.data, Math.floor(MAX_LINE_POINTS / 3));
    }
    lines.push(...own);
  });
  return { lines };
}

/** Hues halfway between the theme's five chart hues, for series 6 to 10. */
const BETWEEN_HUES = [15, 107, 182, 237, 297];

/**
 * The colour of the i-th series: the theme's five --chart-N colours, then five hues halfway
 * between them, then further hues a golden angle apart, at the theme's chart lightness and chroma
 * (--chart-l, --chart-c), so that a comparison of many runs does not draw two in the same colour.
 */
export function seriesColor(index: number, palette = 5): string {
  if (index < palette) return `var(--chart-${index + 1})`;
  const k = index - palette;
  const hue = k < BETWEEN_HUES.length ? BETWEEN_HUES[k]! : Math.round(((k * 137.508 + 41) % 360) * 10) / 10;
  return `oklch(var(--chart-l) var(--chart-c) ${hue})`;
}

/** One colour per run, by its position among the compared runs: chips, histories, parallel coordinates and scatter agree. */
export function runColours(ids: readonly string[]): Record<string, string> {
  return Object.fromEntries(ids.map((id, i) => [id, seriesColor(i)]));
}

export interface YAxisOptions {
  /** Counts, costs and latencies start at zero; rates and scores need not. */
  includeZero?: boolean;
  /** Values the axis may never pass, e.g. [0, 1] for a rate: no 102% on a percentage axis. */
  bounds?: readonly [number, number];
  /** About how many intervals between ticks. */
  intervals?: number;
  /** Counts: whole-number ticks only ("0, 1, 2", never "0, 0.5, 1" shown as "0, 1, 1"). */
  integer?: boolean;
}

/** 1, 2, 2.5 or 5 times a power of ten, the smallest at least `raw`. */
export function niceStep(raw: number): number {
  if (!(raw > 0) || !Number.isFinite(raw)) return 1;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].find((m) => m * power >= raw * (1 - 1e-9)) ?? 10;
  return step * power;
}

const roundTo = (value: number, step: number) => Number((Math.round(value / step) * step).toPrecision(12));

/**
 * A y axis that never hides data, never invents a zero baseline for ratios, never passes its
 * natural bounds, and has round ticks: the domain's ends are multiples of a nice step.
 */
export function yAxis(
  series: Series[],
  { includeZero = false, bounds, intervals = 4, integer = false }: YAxisOptions = {},
): { domain: [number, number]; ticks: number[] } | undefined {
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of series)
    for (const p of s.points)
      if (p.y !== null && Number.isFinite(p.y)) {
        lo = Math.min(lo, p.y);
        hi = Math.max(hi, p.y);
      }
  if (lo === Infinity) return undefined;
  if (includeZero) {
    lo = Math.min(lo, 0);
    hi = Math.max(hi, 0);
  }
  if (lo === hi) {
    const spread = integer ? 1 : Math.abs(lo) * 0.05 || 1;
    lo -= integer && lo === 0 ? 0 : spread;
    hi += spread;
  }
  // A whole-number step for counts: 1, 2, 5, 10, 20, 25, … (2.5 becomes 2).
  const raw = niceStep((hi - lo) / intervals);
  const step = integer ? Math.max(1, Math.floor(raw)) : raw;
  let from = Math.floor(lo / step + 1e-9) * step;
  let to = Math.ceil(hi / step - 1e-9) * step;
  if (bounds) {
    from = Math.max(from, bounds[0]);
    to = Math.min(to, bounds[1]);
  }
  const ticks: number[] = [];
  for (let t = from; t <= to + step * 1e-9; t += step) ticks.push(roundTo(t, step));
  return { domain: [roundTo(from, step), roundTo(to, step)], ticks };
}
