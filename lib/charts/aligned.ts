import { SPARSE_SERIES, type Point, type Series } from "./series";

/**
 * Series on one shared x axis, the table a canvas line chart (uPlot) draws from: one row of x
 * values, then per series a y value at each x. The two kinds of "nothing" differ:
 * - `undefined`: the series has no point at this x (another series has); the line passes over it.
 * - `null`: a recorded gap; the line breaks there, from the series' point before to its point after.
 */
export interface AlignedData {
  xs: number[];
  ys: (number | null | undefined)[][];
  /** Per series, the indices in `xs` drawn with a dot: values alone between gaps, every value of a sparse series. */
  dots: number[][];
  /** Per series, its finite points in x order (tooltips and summaries read these, not the shared table). */
  own: { x: number; y: number }[][];
}

const finite = (p: Point): p is { x: number; y: number } => p.y !== null && Number.isFinite(p.y);

export function alignSeries(series: readonly Series[]): AlignedData {
  const xs = [...new Set(series.flatMap((s) => s.points.map((p) => p.x)))].sort((a, b) => a - b);
  const index = new Map(xs.map((x, i) => [x, i]));
  const ys: (number | null | undefined)[][] = [];
  const dots: number[][] = [];
  const own: { x: number; y: number }[][] = [];
  for (const s of series) {
    const row: (number | null | undefined)[] = new Array<number | null | undefined>(xs.length).fill(undefined);
    const values = s.points.filter(finite);
    const sparse = values.length < SPARSE_SERIES;
    const dotted: number[] = [];
    // Each point with its neighbours: a value is alone when no finite value of its own series is next to it.
    s.points.forEach((p, k) => {
      const at = index.get(p.x)!;
      if (!finite(p)) {
        if (row[at] === undefined) row[at] = null;
        return;
      }
      row[at] = p.y;
      const before = s.points[k - 1];
      const after = s.points[k + 1];
      const alone = (!before || !finite(before)) && (!after || !finite(after));
      if (sparse || alone) dotted.push(at);
    });
    // A gap spans every shared x between the series' own values around it, not just its own x:
    // otherwise the line would join across it everywhere but that one column.
    let last = -1;
    let gap = false;
    for (let i = 0; i < row.length; i++) {
      const y = row[i];
      if (y === null) gap = true;
      else if (y !== undefined) {
        if (gap) for (let j = last + 1; j < i; j++) row[j] = null;
        last = i;
        gap = false;
      }
    }
    if (gap) for (let j = last + 1; j < row.length; j++) row[j] = null;
    ys.push(row);
    dots.push(dotted);
    own.push(values);
  }
  return { xs, ys, dots, own };
}

/** The point of `points` (sorted by x) nearest to `x`; the earlier one on a tie. */
export function nearestPoint<P extends { x: number }>(points: readonly P[], x: number): P | undefined {
  if (points.length === 0) return undefined;
  let lo = 0;
  let hi = points.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (points[mid]!.x < x) lo = mid + 1;
    else hi = mid;
  }
  const after = points[lo]!;
  const before = points[lo - 1];
  return before && x - before.x <= after.x - x ? before : after;
}

export interface SeriesSummary {
  label: string;
  count: number;
  first?: { x: number; y: number };
  last?: { x: number; y: number };
  min?: number;
  max?: number;
}

/** What a screen reader is told of each line: how many values, where it starts and ends, its range. */
export function summarise(series: readonly Series[]): SeriesSummary[] {
  return series.map((s) => {
    const values = s.points.filter(finite);
    let min: number | undefined;
    let max: number | undefined;
    for (const p of values) {
      if (min === undefined || p.y < min) min = p.y;
      if (max === undefined || p.y > max) max = p.y;
    }
    return { label: s.label, count: values.length, first: values[0], last: values.at(-1), min, max };
  });
}
