import { describe, expect, it } from "vitest";
import { sampleRatioMismatch } from "./sample-ratio";

describe("sampleRatioMismatch", () => {
  // References from SciPy 1.17.1: scipy.stats.chisquare(observed, f_exp=expected)
  it("matches SciPy's chi-square goodness of fit", () => {
    const two = sampleRatioMismatch([5000, 5210], [1, 1]);
    expect(two?.statistic).toBeCloseTo(4.319294809010774, 10);
    expect(two?.pValue).toBeCloseTo(0.037682535473058755, 12);
    expect(two?.mismatch).toBe(false);
    const three = sampleRatioMismatch([3000, 3000, 4200], [1, 1, 1]);
    expect(three?.statistic).toBeCloseTo(282.3529411764706, 9);
    expect(Math.abs((three?.pValue ?? 0) - 4.873464972333979e-62) / 4.873464972333979e-62).toBeLessThan(1e-6);
    expect(three?.mismatch).toBe(true);
  });

  it("uses the weights, not an even split", () => {
    expect(sampleRatioMismatch([8000, 2000], [80, 20])?.pValue).toBeCloseTo(1, 12);
    expect(sampleRatioMismatch([5000, 5000], [80, 20])?.mismatch).toBe(true);
  });

  it("treats traffic to a zero-weight variant as a mismatch and needs data", () => {
    expect(sampleRatioMismatch([100, 3], [1, 0])?.mismatch).toBe(true);
    expect(sampleRatioMismatch([0, 0], [1, 1])).toBeUndefined();
  });
});
