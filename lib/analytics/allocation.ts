import { trackAndStopWeights } from "@/lib/stats/allocation";
import { effective, estimateOf, varianceOf } from "@/lib/stats/samples";
import { DAY_MS, toStats, type DailyStats, type Totals } from "./ab-data";

/**
 * The weights adaptive allocation gives a function's variants on one UTC day: track-and-stop
 * (lib/stats/allocation.ts) over the allocation metric's feedback in the `windowDays` days before
 * that day. A pure function of data recorded before the day, so every app instance computes the
 * same weights, the A/B page can recompute the ones that were used, and the weights never depend
 * on the outcomes of the day they apply to (what makes the batched analysis valid).
 */
export interface AdaptiveSettings {
  metric: { type: "float" | "boolean"; optimize: "max" | "min" };
  floor: number;
  minSamples: number;
  windowDays: number;
  epsilon: number;
}

export const dayOf = (ms: number) => Math.floor(ms / DAY_MS) * DAY_MS;

/** Shares per variant (summing to 1 over those of positive configured weight, 0 for the rest). */
export function weightsForDay(
  daily: DailyStats[],
  day: number,
  variants: { name: string; weight: number | null }[],
  settings: AdaptiveSettings,
): Map<string, number> {
  const drawn = variants.filter((v): v is { name: string; weight: number } => v.weight !== null && v.weight > 0);
  const configuredTotal = drawn.reduce((s, v) => s + v.weight, 0);
  const out = new Map(variants.map((v) => [v.name, 0]));
  const configured = () => {
    for (const v of drawn) out.set(v.name, v.weight / configuredTotal);
    return out;
  };
  if (drawn.length < 2) return configured();
  const start = day - settings.windowDays * DAY_MS;
  const arms = drawn.map((v) => {
    const t: Totals = { n: 0, sum: 0, sumSq: 0 };
    for (const r of daily) {
      if (r.variant !== v.name || r.day < start || r.day >= day) continue;
      t.n += r.n;
      t.sum += r.sum;
      t.sumSq += r.sumSq;
    }
    const s = effective(toStats(settings.metric.type, t));
    return { name: v.name, n: s.n, mean: estimateOf(s), variance: varianceOf(s) };
  });
  const weights = trackAndStopWeights(arms, {
    optimize: settings.metric.optimize,
    floor: settings.floor,
    epsilon: settings.epsilon,
    minSamples: settings.minSamples,
  });
  if (!weights) return configured();
  for (const [name, w] of weights) out.set(name, w);
  return out;
}
