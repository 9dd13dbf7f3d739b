import type { MetricPoint } from "./types";

/** Orders metric values as Postgres does: NaN above every number, so SQL and JS agree on "latest". */
function compareValues(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number(Number.isNaN(a)) - Number(Number.isNaN(b));
  return a === b ? 0 : a < b ? -1 : 1;
}

/** MLflow's "latest" point of a key: the greatest (step, timestamp, value). */
export function isLater(a: MetricPoint, b: MetricPoint): boolean {
  if (a.step !== b.step) return a.step > b.step;
  if (a.timestamp !== b.timestamp) return a.timestamp > b.timestamp;
  return compareValues(a.value, b.value) > 0;
}

export function latestPerKey(metrics: MetricPoint[]): MetricPoint[] {
  const latest = new Map<string, MetricPoint>();
  for (const m of metrics) {
    const current = latest.get(m.key);
    if (!current || isLater(m, current)) latest.set(m.key, m);
  }
  // Sorted keys give every transaction the same row-lock order, so concurrent batches never deadlock.
  return [...latest.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
