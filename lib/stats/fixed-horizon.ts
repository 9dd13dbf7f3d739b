import { normalQuantile, normalTwoSided, studentTQuantile, studentTTwoSided } from "./distributions";

/**
 * Fixed-horizon comparisons of a treatment against a control: Welch's t-test for float metrics
 * and the two-proportion z-test for boolean ones, with confidence intervals for the difference
 * and the relative lift. Inputs are sufficient statistics, as ClickHouse aggregates return them.
 */
export interface MeanSample {
  n: number;
  mean: number;
  /** Unbiased sample variance (n − 1 in the denominator). */
  variance: number;
}

export interface RateSample {
  n: number;
  successes: number;
}

export type Interval = [number, number];

export interface Comparison {
  /** treatment − control, in the metric's units (a rate difference for booleans). */
  diff: number;
  diffCi: Interval;
  /** treatment / control − 1; null when the control's value is zero. */
  lift: number | null;
  liftCi: Interval | null;
  statistic: number;
  pValue: number;
  /** Degrees of freedom of Welch's test; Infinity for the z-test. */
  df: number;
  /** Variance of the `diff` estimator, used by the sequential test. */
  diffVariance: number;
}

const zFor = (alpha: number) => normalQuantile(1 - alpha / 2);

/** Mean with a t interval; undefined below two observations (no variance yet). */
export function meanInterval(s: MeanSample, alpha = 0.05): Interval | undefined {
  if (s.n < 2) return undefined;
  const half = studentTQuantile(1 - alpha / 2, s.n - 1) * Math.sqrt(Math.max(0, s.variance) / s.n);
  return [s.mean - half, s.mean + half];
}

/** Wilson score interval for a rate: well-behaved at 0 and 100 % and for small n. */
export function wilsonInterval(s: RateSample, alpha = 0.05): Interval | undefined {
  if (s.n <= 0) return undefined;
  const z = zFor(alpha);
  const p = s.successes / s.n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * s.n)) / (1 + z2 / s.n);
  const half = (z / (1 + z2 / s.n)) * Math.sqrt((p * (1 - p)) / s.n + z2 / (4 * s.n * s.n));
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

/** Welch's unequal-variance t-test; undefined unless each side has two observations. */
export function welchTest(control: MeanSample, treatment: MeanSample, alpha = 0.05): Comparison | undefined {
  if (control.n < 2 || treatment.n < 2) return undefined;
  const vc = Math.max(0, control.variance) / control.n;
  const vt = Math.max(0, treatment.variance) / treatment.n;
  const se2 = vc + vt;
  const diff = treatment.mean - control.mean;
  let df: number;
  let statistic: number;
  let pValue: number;
  let half: number;
  if (se2 === 0) {
    // Both samples are constant: the difference is known exactly.
    df = control.n + treatment.n - 2;
    statistic = diff === 0 ? 0 : Math.sign(diff) * Infinity;
    pValue = diff === 0 ? 1 : 0;
    half = 0;
  } else {
    df = (se2 * se2) / ((vc * vc) / (control.n - 1) + (vt * vt) / (treatment.n - 1));
    statistic = diff / Math.sqrt(se2);
    pValue = studentTTwoSided(statistic, df);
    half = studentTQuantile(1 - alpha / 2, df) * Math.sqrt(se2);
  }
  return {
    diff,
    diffCi: [diff - half, diff + half],
    ...relativeLiftOfMeans(control, treatment, vc, vt, alpha),
    statistic,
    pValue,
    df,
    diffVariance: se2,
  };
}

/** Delta-method interval for treatment/control − 1 (independent samples). */
function relativeLiftOfMeans(control: MeanSample, treatment: MeanSample, vc: number, vt: number, alpha: number) {
  if (control.mean === 0) return { lift: null, liftCi: null };
  const ratio = treatment.mean / control.mean;
  const varRatio = vt / control.mean ** 2 + (treatment.mean ** 2 * vc) / control.mean ** 4;
  const half = zFor(alpha) * Math.sqrt(varRatio);
  return { lift: ratio - 1, liftCi: [ratio - 1 - half, ratio - 1 + half] as Interval };
}

/**
 * Two-proportion z-test (pooled standard error, as a chi-square test of the 2×2 table without
 * continuity correction) with Newcombe's hybrid score interval for the difference, which stays
 * inside [−1, 1] and behaves at 0 % and 100 %. Undefined when a side has no observation.
 */
export function twoProportionTest(control: RateSample, treatment: RateSample, alpha = 0.05): Comparison | undefined {
  if (control.n <= 0 || treatment.n <= 0) return undefined;
  const pc = control.successes / control.n;
  const pt = treatment.successes / treatment.n;
  const diff = pt - pc;
  const pooled = (control.successes + treatment.successes) / (control.n + treatment.n);
  const sePooled = Math.sqrt(pooled * (1 - pooled) * (1 / control.n + 1 / treatment.n));
  // All successes or all failures on both sides: no evidence of any difference.
  const statistic = sePooled === 0 ? 0 : diff / sePooled;
  const pValue = sePooled === 0 ? 1 : normalTwoSided(statistic);
  const wc = wilsonInterval(control, alpha) ?? [0, 1];
  const wt = wilsonInterval(treatment, alpha) ?? [0, 1];
  const lower = diff - Math.sqrt((pt - wt[0]) ** 2 + (wc[1] - pc) ** 2);
  const upper = diff + Math.sqrt((wt[1] - pt) ** 2 + (pc - wc[0]) ** 2);
  return {
    diff,
    diffCi: [lower, upper],
    ...relativeLiftOfRates(control, treatment, alpha),
    statistic,
    pValue,
    df: Infinity,
    diffVariance: pooled * (1 - pooled) * (1 / control.n + 1 / treatment.n),
  };
}

/** Katz log interval for the risk ratio, reported as a lift (ratio − 1). */
function relativeLiftOfRates(control: RateSample, treatment: RateSample, alpha: number) {
  if (control.successes === 0) return { lift: null, liftCi: null };
  const ratio = treatment.successes / treatment.n / (control.successes / control.n);
  if (treatment.successes === 0) return { lift: -1, liftCi: null };
  const se = Math.sqrt(1 / treatment.successes - 1 / treatment.n + 1 / control.successes - 1 / control.n);
  const z = zFor(alpha);
  return { lift: ratio - 1, liftCi: [ratio * Math.exp(-z * se) - 1, ratio * Math.exp(z * se) - 1] as Interval };
}
