import type { Interval } from "./fixed-horizon";

/**
 * Always-valid inference with the mixture sequential probability ratio test (mSPRT; Johari,
 * Pekelis and Walsh, "Always Valid Inference", 2017), normal mixture form. For an estimated
 * difference θ̂ with variance V and a N(0, τ²) mixing distribution over the true difference,
 *   Λ = sqrt(V / (V + τ²)) · exp(τ² θ̂² / (2 V (V + τ²)))
 * is a martingale under "no difference", so P(Λ ever exceeds 1/α) ≤ α however often one looks.
 * The p-value is min(1, 1/Λ) (kept as a running minimum across looks) and the matching
 * confidence sequence is every θ₀ that Λ(θ̂ − θ₀) does not reject.
 */
export interface SequentialResult {
  lambda: number;
  pValue: number;
  ci: Interval;
  tau2: number;
}

/**
 * The default mixing variance: τ = 0.1 σ, i.e. the test is tuned to effects of about a tenth of
 * the metric's standard deviation (a few per cent on typical rates and scores). Smaller τ finds
 * small effects later; larger τ finds large effects sooner.
 */
export const DEFAULT_TAU_FRACTION = 0.1;
export const mixingVariance = (pooledVariance: number, fraction = DEFAULT_TAU_FRACTION) => Math.max(pooledVariance, 1e-12) * fraction ** 2;

/**
 * The mixing variance for a declared minimum detectable effect δ. The interval's half-width at
 * variance V is smallest, for a given V, when τ² = ρV with ρ = 2 log(1/α) + log(1 + ρ); the test
 * calls an estimate of δ soonest when that V is the one where the half-width equals δ, which gives
 * V = δ²/(1 + ρ), hence τ² = δ² ρ/(1 + ρ) (about 0.89 δ² at α = 0.05).
 */
export function optimalMixingVariance(effect: number, alpha = 0.05): number {
  let rho = 2 * Math.log(1 / alpha);
  for (let i = 0; i < 50; i++) rho = 2 * Math.log(1 / alpha) + Math.log1p(rho);
  return Math.max(effect * effect, 1e-24) * (rho / (1 + rho));
}

export function halfWidth(variance: number, tau2: number, alpha: number): number {
  if (variance <= 0) return 0;
  return Math.sqrt(((2 * variance * (variance + tau2)) / tau2) * (Math.log(1 / alpha) + 0.5 * Math.log((variance + tau2) / variance)));
}

export function msprt(input: { diff: number; variance: number; tau2: number; alpha?: number }): SequentialResult {
  const { diff, variance, tau2 } = input;
  const alpha = input.alpha ?? 0.05;
  if (variance <= 0) {
    // A difference known exactly: decisive unless it is zero.
    return { lambda: diff === 0 ? 1 : Infinity, pValue: diff === 0 ? 1 : 0, ci: [diff, diff], tau2 };
  }
  const logLambda = 0.5 * Math.log(variance / (variance + tau2)) + (tau2 * diff * diff) / (2 * variance * (variance + tau2));
  const lambda = Math.exp(logLambda);
  const half = halfWidth(variance, tau2, alpha);
  return { lambda, pValue: Math.min(1, Math.exp(-logLambda)), ci: [diff - half, diff + half], tau2 };
}

/**
 * Combines successive looks (cumulative statistics at each look, oldest first): the p-value is
 * the running minimum and the interval the running intersection, both still always valid.
 */
export function combineLooks(looks: SequentialResult[]): SequentialResult | undefined {
  const last = looks.at(-1);
  if (!last) return undefined;
  let pValue = 1;
  let lo = -Infinity;
  let hi = Infinity;
  for (const look of looks) {
    pValue = Math.min(pValue, look.pValue);
    lo = Math.max(lo, look.ci[0]);
    hi = Math.min(hi, look.ci[1]);
  }
  // An empty intersection can only follow a chance excursion; report the latest interval then.
  const ci: Interval = lo <= hi ? [lo, hi] : last.ci;
  return { ...last, pValue, ci };
}

/**
 * Samples per variant (equal split assumed) at which the always-valid interval becomes narrower
 * than |effect|, i.e. the sequential test would call an effect of that size.
 */
export function sequentialSampleSize(input: {
  effect: number;
  varianceControl: number;
  varianceTreatment: number;
  tau2: number;
  alpha?: number;
}): number {
  const alpha = input.alpha ?? 0.05;
  const effect = Math.abs(input.effect);
  const s2 = Math.max(0, input.varianceControl) + Math.max(0, input.varianceTreatment);
  if (s2 === 0) return 2;
  if (effect === 0) return Infinity;
  const enough = (n: number) => halfWidth(s2 / n, input.tau2, alpha) < effect;
  let hi = 2;
  while (!enough(hi)) {
    hi *= 2;
    if (hi > 1e12) return Infinity;
  }
  let lo = hi / 2;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (enough(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}
