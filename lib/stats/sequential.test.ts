import { describe, expect, it } from "vitest";
import { combineLooks, halfWidth, msprt, optimalMixingVariance, sequentialSampleSize } from "./sequential";

describe("mSPRT", () => {
  // Second implementation: Λ = ∫ N(θ̂; θ, V) / N(θ̂; 0, V) · N(θ; 0, τ²) dθ by the trapezoid rule.
  function lambdaByIntegration(diff: number, V: number, tau2: number): number {
    const tau = Math.sqrt(tau2);
    const steps = 200_000;
    const lo = -12 * tau;
    const h = (24 * tau) / steps;
    let sum = 0;
    for (let i = 0; i <= steps; i++) {
      const theta = lo + i * h;
      const ratio = Math.exp((-((diff - theta) ** 2) + diff * diff) / (2 * V));
      const prior = Math.exp((-theta * theta) / (2 * tau2)) / Math.sqrt(2 * Math.PI * tau2);
      sum += (i === 0 || i === steps ? 0.5 : 1) * ratio * prior;
    }
    return sum * h;
  }

  it.each([
    [0.02, 0.0001, 0.0004],
    [-0.5, 0.04, 0.01],
    [0, 0.3, 0.2],
  ])("closed form matches the mixture integral (θ̂=%d, V=%d, τ²=%d)", (diff, V, tau2) => {
    const closed = msprt({ diff, variance: V, tau2 }).lambda;
    expect(closed / lambdaByIntegration(diff, V, tau2)).toBeCloseTo(1, 6);
  });

  it("its interval ends exactly where Λ reaches 1/α", () => {
    const V = 0.0025;
    const tau2 = 0.001;
    const r = msprt({ diff: 0.12, variance: V, tau2, alpha: 0.05 });
    for (const end of r.ci) expect(msprt({ diff: 0.12 - end, variance: V, tau2 }).lambda).toBeCloseTo(20, 8);
  });

  it("keeps the smallest p-value and the intersection of intervals across looks", () => {
    const looks = [msprt({ diff: 0.3, variance: 0.01, tau2: 0.01 }), msprt({ diff: 0.05, variance: 0.005, tau2: 0.01 })];
    const combined = combineLooks(looks);
    expect(combined?.pValue).toBe(Math.min(looks[0]?.pValue ?? 1, looks[1]?.pValue ?? 1));
    expect(combined?.ci[0]).toBe(Math.max(looks[0]?.ci[0] ?? 0, looks[1]?.ci[0] ?? 0));
    expect(combined?.ci[1]).toBe(Math.min(looks[0]?.ci[1] ?? 0, looks[1]?.ci[1] ?? 0));
  });

  it("finds the smallest sample size whose interval is narrower than the effect", () => {
    const input = { effect: 0.05, varianceControl: 0.21, varianceTreatment: 0.21, tau2: 0.0021 };
    const n = sequentialSampleSize(input);
    expect(halfWidth(0.42 / n, input.tau2, 0.05)).toBeLessThan(0.05);
    expect(halfWidth(0.42 / (n - 1), input.tau2, 0.05)).toBeGreaterThanOrEqual(0.05);
    expect(sequentialSampleSize({ ...input, effect: 0 })).toBe(Infinity);
  });

  it("tunes the mixing variance so that an estimate of the declared effect is called soonest", () => {
    const effect = 0.015;
    const samples = (tau2: number) => sequentialSampleSize({ effect, varianceControl: 0.09, varianceTreatment: 0.1018, tau2 });
    const best = samples(optimalMixingVariance(effect));
    for (const factor of [0.25, 0.5, 0.8, 1.25, 2, 4]) expect(samples(optimalMixingVariance(effect) * factor)).toBeGreaterThanOrEqual(best);
    // ρ = 2 log 20 + log(1 + ρ) ≈ 8.22 at α = 0.05, so τ² ≈ 0.89 δ².
    expect(optimalMixingVariance(1)).toBeCloseTo(0.8915, 3);
  });
});
