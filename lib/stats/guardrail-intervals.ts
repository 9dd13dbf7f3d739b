import { normalQuantile } from "./distributions";
import type { Interval } from "./fixed-horizon";
import { mixingVariance, msprt } from "./sequential";

/**
 * Always-valid comparisons for the scorecard's guardrails (cost per request, latency percentiles,
 * error rate), read once at the current totals: a confidence sequence is valid at every time, so
 * the one at today's totals is a valid 95% interval however often the page is read.
 */

/** One variant's estimate, the standard error of its estimator, and the observations behind it. */
export interface Estimate {
  n: number;
  value: number;
  se: number;
}

export interface GuardrailComparison {
  /** relative lift (t/c − 1) or a rate difference (t − c), as `scale` says. */
  effect: number;
  ci: Interval;
  pValue: number;
}

/**
 * Relative lift t/c − 1 of two positive estimates: the mSPRT on log(t/c), whose variance is
 * (se_c/c)² + (se_t/t)² (delta method), mapped back with exp, so the interval never goes below
 * −100%. The mixing variance is the default one (τ = 0.1 σ) on the log scale.
 */
export function alwaysValidLift(c: Estimate, t: Estimate, alpha = 0.05): GuardrailComparison | undefined {
  if (!(c.value > 0) || !(t.value > 0) || c.n < 1 || t.n < 1) return undefined;
  const vc = (c.se / c.value) ** 2;
  const vt = (t.se / t.value) ** 2;
  const logRatio = Math.log(t.value / c.value);
  const tau2 = mixingVariance((c.n * vc + t.n * vt) / 2);
  const r = msprt({ diff: logRatio, variance: vc + vt, tau2, alpha });
  return { effect: Math.expm1(logRatio), ci: [Math.expm1(r.ci[0]), Math.expm1(r.ci[1])], pValue: r.pValue };
}

/**
 * Difference of two rates (t − c) with the mSPRT on the pooled variance, clipped to [−1, 1]: a
 * rate difference cannot be larger. The pooled rate is taken as (x + 1)/(n + 2), so zero errors
 * on both sides still leave an interval of honest width instead of [0, 0].
 */
export function alwaysValidRateDifference(
  c: { n: number; successes: number },
  t: { n: number; successes: number },
  alpha = 0.05,
): GuardrailComparison | undefined {
  if (c.n < 1 || t.n < 1) return undefined;
  const diff = t.successes / t.n - c.successes / c.n;
  const pooled = (c.successes + t.successes + 1) / (c.n + t.n + 2);
  const perObservation = pooled * (1 - pooled);
  const r = msprt({ diff, variance: perObservation * (1 / c.n + 1 / t.n), tau2: mixingVariance(perObservation), alpha });
  return { effect: diff, ci: [clip(r.ci[0], -1, 1), clip(r.ci[1], -1, 1)], pValue: r.pValue };
}

/** Mean of per-request values from their sums, with the standard error of the mean. */
export function meanEstimate(n: number, sum: number, sumSq: number): Estimate | undefined {
  if (n < 2) return undefined;
  const mean = sum / n;
  const spread = sumSq - n * mean * mean;
  const variance = spread > 1e-9 * Math.abs(sumSq) ? spread / (n - 1) : 0;
  return { n, value: mean, se: Math.sqrt(variance / n) };
}

/**
 * The q-quantile of a histogram (value of each bin, count; any order) at the rank the dashboard
 * uses (the first bin whose running count exceeds q·n), and its standard error from the
 * distribution-free order-statistic interval (ranks nq ± z·√(nq(1−q))): se = (x_(u) − x_(l))/(2z),
 * the McKean–Schrader estimator that Bonett & Price (2002) use for differences of medians.
 * Undefined when those ranks fall outside the sample (too few observations for this quantile).
 * `resolution`, a bin's width relative to its value, floors se at the rounding error of a bin
 * (width/√12): the histogram cannot tell apart values within one bin.
 */
export function histogramQuantile(
  bins: [number, number][],
  q: number,
  options: { alpha?: number; resolution?: number } = {},
): (Estimate & { ci: Interval }) | undefined {
  const alpha = options.alpha ?? 0.05;
  const sorted = bins.filter(([, k]) => k > 0).sort((a, b) => a[0] - b[0]);
  const n = sorted.reduce((s, [, k]) => s + k, 0);
  if (n < 1) return undefined;
  const z = normalQuantile(1 - alpha / 2);
  const spread = z * Math.sqrt(n * q * (1 - q));
  const lowRank = Math.floor(n * q - spread);
  const highRank = Math.ceil(n * q + spread);
  if (lowRank < 1 || highRank > n) return undefined;
  const at = (rank: number) => {
    let seen = 0;
    for (const [value, k] of sorted) {
      seen += k;
      if (seen >= rank) return value;
    }
    return sorted.at(-1)![0];
  };
  const low = at(lowRank);
  const high = at(highRank);
  const value = at(Math.floor(q * n) + 1);
  const rounding = (value * (options.resolution ?? 0)) / Math.sqrt(12);
  return { n, value, se: Math.max((high - low) / (2 * z), rounding), ci: [low, high] };
}

const clip = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));
