import { chiSquareSurvival, studentTQuantile, studentTTwoSided } from "./distributions";
import { betaI } from "./special";
import { wilsonInterval, type Interval } from "./fixed-horizon";

/**
 * Paired comparisons: the same items scored under two conditions (two evaluation runs on one
 * dataset version). Pairing removes the items' own variance, so these are far more sensitive than
 * the independent-samples tests in fixed-horizon.ts. Checked against scipy/statsmodels (paired.test.ts).
 */

export interface PairedTResult {
  n: number;
  /** mean of (b − a) */
  meanDiff: number;
  ci: Interval;
  t: number;
  df: number;
  pValue: number;
}

/** Paired t-test on differences d = b − a (scipy.stats.ttest_rel(b, a)); undefined below two pairs. */
export function pairedTTest(diffs: number[], alpha = 0.05): PairedTResult | undefined {
  const n = diffs.length;
  if (n < 2) return undefined;
  const mean = diffs.reduce((s, d) => s + d, 0) / n;
  const variance = diffs.reduce((s, d) => s + (d - mean) ** 2, 0) / (n - 1);
  const se = Math.sqrt(variance / n);
  const df = n - 1;
  if (se === 0)
    return { n, meanDiff: mean, ci: [mean, mean], t: mean === 0 ? 0 : Math.sign(mean) * Infinity, df, pValue: mean === 0 ? 1 : 0 };
  const t = mean / se;
  const half = studentTQuantile(1 - alpha / 2, df) * se;
  return { n, meanDiff: mean, ci: [mean - half, mean + half], t, df, pValue: studentTTwoSided(t, df) };
}

export interface McNemarResult {
  n: number;
  /** a passed, b failed (regressions when b is the newer run) */
  onlyA: number;
  /** b passed, a failed (improvements) */
  onlyB: number;
  /** pass rate of b − pass rate of a */
  diff: number;
  /** Newcombe's hybrid score interval for a paired difference of proportions (his method 10). */
  ci: Interval;
  /** Exact two-sided binomial p-value (statsmodels mcnemar(exact=True)). */
  pValue: number;
  /** Chi-square with continuity correction (statsmodels mcnemar(exact=False, correction=True)). */
  chiSquare: number;
  chiSquarePValue: number;
}

/** Binomial(n, 0.5) cdf at k, through the regularised incomplete beta function. */
const binomHalfCdf = (k: number, n: number) => (k >= n ? 1 : betaI(0.5, n - k, k + 1));

/** McNemar's test on paired pass/fail outcomes; `a`, `b` are per-item passes in the same order. */
export function mcnemar(a: boolean[], b: boolean[], alpha = 0.05): McNemarResult | undefined {
  const n = a.length;
  if (n === 0 || b.length !== n) return undefined;
  let both = 0;
  let onlyA = 0;
  let onlyB = 0;
  for (let i = 0; i < n; i++) {
    if (a[i] && b[i]) both++;
    else if (a[i]) onlyA++;
    else if (b[i]) onlyB++;
  }
  const discordant = onlyA + onlyB;
  const pValue = discordant === 0 ? 1 : Math.min(1, 2 * binomHalfCdf(Math.min(onlyA, onlyB), discordant));
  const chiSquare = discordant === 0 ? 0 : (Math.abs(onlyA - onlyB) - 1) ** 2 / discordant;
  const neither = n - both - onlyA - onlyB;
  return {
    n,
    onlyA,
    onlyB,
    diff: (onlyB - onlyA) / n,
    ci: newcombePaired(both, onlyB, onlyA, neither, alpha),
    pValue,
    chiSquare,
    chiSquarePValue: discordant === 0 ? 1 : chiSquareSurvival(chiSquare, 1),
  };
}

/**
 * Newcombe (1998) method 10 for p2 − p1 with cells e (both), f (only 2), g (only 1), h (neither):
 * Wilson intervals of each margin combined with the correlation φ of the 2×2 table.
 */
function newcombePaired(e: number, f: number, g: number, h: number, alpha: number): Interval {
  const n = e + f + g + h;
  const p1 = (e + g) / n;
  const p2 = (e + f) / n;
  const [l1, u1] = wilsonInterval({ n, successes: e + g }, alpha)!;
  const [l2, u2] = wilsonInterval({ n, successes: e + f }, alpha)!;
  const denom = Math.sqrt((e + f) * (g + h) * (e + g) * (f + h));
  const phi = denom === 0 ? 0 : (e * h - f * g) / denom;
  const d = p2 - p1;
  const dl = Math.sqrt((p2 - l2) ** 2 - 2 * phi * (p2 - l2) * (u1 - p1) + (u1 - p1) ** 2);
  const du = Math.sqrt((u2 - p2) ** 2 - 2 * phi * (u2 - p2) * (p1 - l1) + (p1 - l1) ** 2);
  return [Math.max(-1, d - dl), Math.min(1, d + du)];
}
