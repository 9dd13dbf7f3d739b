import { chiSquareSurvival } from "./distributions";

/**
 * Sample-ratio mismatch: a chi-square goodness-of-fit test of the observed traffic per variant
 * against the configured weights. A tiny p-value (below 0.001, the usual threshold) means the
 * assignment or the logging is broken and the comparison cannot be trusted.
 */
export interface SrmResult {
  statistic: number;
  df: number;
  pValue: number;
  mismatch: boolean;
  expected: number[];
}

export const SRM_THRESHOLD = 0.001;

export function sampleRatioMismatch(observed: number[], weights: number[], threshold = SRM_THRESHOLD): SrmResult | undefined {
  const total = observed.reduce((a, b) => a + b, 0);
  const weightSum = weights.reduce((a, b) => a + b, 0);
  if (observed.length !== weights.length || observed.length < 2 || total === 0 || weightSum <= 0) return undefined;
  const expected = weights.map((w) => (total * w) / weightSum);
  let statistic = 0;
  for (let i = 0; i < observed.length; i++) {
    const e = expected[i] ?? 0;
    const o = observed[i] ?? 0;
    if (e === 0) {
      // A variant weighted at zero that still got traffic is a mismatch by definition.
      if (o > 0) return { statistic: Infinity, df: observed.length - 1, pValue: 0, mismatch: true, expected };
      continue;
    }
    statistic += (o - e) ** 2 / e;
  }
  const df = expected.filter((e) => e > 0).length - 1;
  const pValue = df > 0 ? chiSquareSurvival(statistic, df) : 1;
  return { statistic, df, pValue, mismatch: pValue < threshold, expected };
}
