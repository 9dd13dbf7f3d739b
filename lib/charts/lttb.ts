/**
 * Largest-Triangle-Three-Buckets (Steinarsson 2013): reduces a line to `threshold` points that
 * keep its visual shape, always keeping the first and last point. On top of plain LTTB, each
 * bucket's minimum and maximum are kept when they differ from the chosen point, so a spike or a
 * dip never disappears (the result may then hold up to 3 points per bucket).
 */
export interface XY {
  x: number;
  y: number;
}

export function downsampleLttb(points: readonly XY[], threshold: number): XY[] {
  const n = points.length;
  if (threshold < 3 || n <= threshold) return points.slice();
  const buckets = threshold - 2;
  const size = (n - 2) / buckets;
  const out: XY[] = [points[0]!];
  let a = 0;
  for (let b = 0; b < buckets; b++) {
    const from = Math.floor(b * size) + 1;
    const to = Math.min(Math.floor((b + 1) * size) + 1, n - 1);
    // The next bucket's average point (the last point for the last bucket).
    const nextFrom = to;
    const nextTo = Math.min(Math.floor((b + 2) * size) + 1, n);
    let avgX = 0;
    let avgY = 0;
    for (let i = nextFrom; i < nextTo; i++) {
      avgX += points[i]!.x;
      avgY += points[i]!.y;
    }
    const count = Math.max(1, nextTo - nextFrom);
    avgX /= count;
    avgY /= count;
    const pa = points[a]!;
    let chosen = from;
    let largest = -1;
    let lo = from;
    let hi = from;
    for (let i = from; i < to; i++) {
      const p = points[i]!;
      const area = Math.abs((pa.x - avgX) * (p.y - pa.y) - (pa.x - p.x) * (avgY - pa.y));
      if (area > largest) {
        largest = area;
        chosen = i;
      }
      if (p.y < points[lo]!.y) lo = i;
      if (p.y > points[hi]!.y) hi = i;
    }
    for (const i of [...new Set([chosen, lo, hi])].sort((p, q) => p - q)) out.push(points[i]!);
    a = chosen;
  }
  out.push(points[n - 1]!);
  return out;
}
