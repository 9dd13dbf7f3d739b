import { describe, expect, it } from "vitest";
import { alwaysValidLift, alwaysValidRateDifference, histogramQuantile, meanEstimate } from "./guardrail-intervals";

// Reference values computed by hand from the formulas (checked with scipy's normal quantile):
// half-width h = sqrt(2V(V+τ²)/τ² · (ln(1/α) + ½ ln((V+τ²)/V))).
describe("alwaysValidLift", () => {
  it("matches the hand-computed interval for a doubling (V = 0.02, τ² = 0.01)", () => {
    const r = alwaysValidLift({ n: 100, value: 1, se: 0.1 }, { n: 100, value: 2, se: 0.2 })!;
    expect(r.effect).toBeCloseTo(1, 12);
    expect(r.ci[0]).toBeCloseTo(0.076396088, 7);
    expect(r.ci[1]).toBeCloseTo(2.716104179, 7);
  });

  it("never goes below −100% and is undefined without a positive control", () => {
    const r = alwaysValidLift({ n: 5, value: 10, se: 8 }, { n: 5, value: 1, se: 0.9 })!;
    expect(r.ci[0]).toBeGreaterThan(-1);
    expect(alwaysValidLift({ n: 5, value: 0, se: 0 }, { n: 5, value: 1, se: 0.1 })).toBeUndefined();
  });
});

describe("alwaysValidRateDifference", () => {
  it("matches the hand-computed interval (50/1000 vs 80/1000)", () => {
    const r = alwaysValidRateDifference({ n: 1000, successes: 50 }, { n: 1000, successes: 80 })!;
    expect(r.effect).toBeCloseTo(0.03, 12);
    expect(r.ci[0]).toBeCloseTo(-0.003798222, 8);
    expect(r.ci[1]).toBeCloseTo(0.063798222, 8);
  });

  it("clips to what a rate difference can be, [−100, +100] pp", () => {
    // Unclipped this would be [−1.608, 3.408] (0/10 vs 9/10).
    const r = alwaysValidRateDifference({ n: 10, successes: 0 }, { n: 10, successes: 9 })!;
    expect(r.ci).toEqual([-1, 1]);
  });

  it("gives zero errors on both sides an interval of some width", () => {
    const r = alwaysValidRateDifference({ n: 200, successes: 0 }, { n: 200, successes: 0 })!;
    expect(r.effect).toBe(0);
    expect(r.ci[0]).toBeLessThan(0);
    expect(r.ci[1]).toBeGreaterThan(0);
  });
});

describe("histogramQuantile", () => {
  const uniform = Array.from({ length: 100 }, (_, i): [number, number] => [i + 1, 1]);

  it("uses ranks nq ± z√(nq(1−q)) for the median of 1..100", () => {
    // ranks floor(50 − 9.80) = 40 and ceil(50 + 9.80) = 60; se = 20 / (2 · 1.95996) = 5.10213
    const r = histogramQuantile(uniform, 0.5)!;
    expect(r.value).toBe(51);
    expect(r.ci).toEqual([40, 60]);
    expect(r.se).toBeCloseTo(5.102134569, 8);
  });

  it("reads p95 of 1..100 at ranks 90 and 100, and refuses p99 (rank 101 does not exist)", () => {
    const r = histogramQuantile(uniform, 0.95)!;
    expect(r.value).toBe(96);
    expect(r.ci).toEqual([90, 100]);
    expect(histogramQuantile(uniform, 0.99)).toBeUndefined();
  });

  it("counts a bin's observations and ignores the order bins come in", () => {
    const r = histogramQuantile(
      [
        [300, 10],
        [100, 40],
        [200, 50],
      ],
      0.5,
    )!;
    // running counts 40 (100), 90 (200), 100 (300): rank 51 → 200; ranks 40 and 60 → 100 and 200
    expect(r.value).toBe(200);
    expect(r.ci).toEqual([100, 200]);
  });
});

describe("histogramQuantile's resolution", () => {
  it("floors the standard error at a bin's rounding error, width/√12", () => {
    const r = histogramQuantile([[300, 1000]], 0.95, { resolution: 0.03 })!;
    expect(r.se).toBeCloseTo((300 * 0.03) / Math.sqrt(12), 12);
    expect(histogramQuantile([[300, 1000]], 0.95)!.se).toBe(0);
  });
});

describe("meanEstimate", () => {
  it("gives the mean and its standard error from sums", () => {
    const r = meanEstimate(5, 15, 55)!;
    expect(r.value).toBe(3);
    expect(r.se).toBeCloseTo(0.707106781, 8);
    expect(meanEstimate(1, 3, 9)).toBeUndefined();
  });
});
