import type { Stats } from "@/lib/stats/ab-test";
import { addClusters, type ClusterSums } from "@/lib/stats/clustered";
import type { MetricInfo } from "./schemas";

/**
 * Daily sufficient statistics (one row per variant and UTC day, from abDailyStats) and the
 * cumulative looks built from them, one per day, so the sequential designs see every daily peek.
 */
export interface DailyStats {
  variant: string;
  day: number;
  n: number;
  sum: number;
  sumSq: number;
  /** Sums over the day's episodes, for inference-level metrics (lib/stats/clustered.ts). */
  clusters?: ClusterSums;
}

export interface Totals {
  n: number;
  sum: number;
  sumSq: number;
  clusters?: ClusterSums;
}

export const DAY_MS = 86_400_000;

export function toStats(type: MetricInfo["type"], t: Totals): Stats {
  const clusters = t.clusters ? { clusters: { ...t.clusters } } : {};
  if (type === "boolean") return { kind: "boolean", n: t.n, successes: t.sum, ...clusters };
  const mean = t.n > 0 ? t.sum / t.n : 0;
  // Unbiased variance from sums. What is left after cancellation below the rounding error of
  // sumSq is noise: a constant sample must have exactly zero variance (lib/stats relies on it).
  const spread = t.sumSq - t.n * mean * mean;
  const variance = t.n > 1 && spread > 1e-9 * Math.abs(t.sumSq) ? spread / (t.n - 1) : 0;
  return { kind: "float", n: t.n, mean, variance, ...clusters };
}

/** Cumulative totals per variant at the end of every day that has data, oldest first. */
export function cumulativeLooks(daily: DailyStats[], variants: string[]): { days: number[]; totals: Map<string, Totals[]> } {
  const days = [...new Set(daily.map((d) => d.day))].sort((a, b) => a - b);
  const clustered = daily.some((d) => d.clusters);
  const totals = new Map<string, Totals[]>();
  for (const variant of variants) {
    const byDay = new Map(daily.filter((d) => d.variant === variant).map((d) => [d.day, d]));
    const running: Totals = { n: 0, sum: 0, sumSq: 0, ...(clustered ? { clusters: { count: 0, sumSq: 0, crossSum: 0, sizeSq: 0 } } : {}) };
    totals.set(
      variant,
      days.map((day) => {
        const d = byDay.get(day);
        if (d) {
          running.n += d.n;
          running.sum += d.sum;
          running.sumSq += d.sumSq;
          if (running.clusters && d.clusters) running.clusters = addClusters(running.clusters, d.clusters);
        }
        return { ...running, ...(running.clusters ? { clusters: { ...running.clusters } } : {}) };
      }),
    );
  }
  return { days, totals };
}

/**
 * Observations per day at today's traffic: the mean over the last (up to) seven whole UTC days of
 * the window, else over the window so far.
 */
export function recentPerDay(daily: DailyStats[], variant: string, from: number, to: number): number {
  const lastWhole = Math.floor(to / DAY_MS) * DAY_MS;
  const firstWhole = Math.max(Math.ceil(from / DAY_MS) * DAY_MS, lastWhole - 7 * DAY_MS);
  const rows = daily.filter((d) => d.variant === variant);
  if (lastWhole > firstWhole) {
    const n = rows.filter((d) => d.day >= firstWhole && d.day < lastWhole).reduce((s, d) => s + d.n, 0);
    return n / ((lastWhole - firstWhole) / DAY_MS);
  }
  return rows.reduce((s, d) => s + d.n, 0) / Math.max((to - from) / DAY_MS, 1 / 24);
}
