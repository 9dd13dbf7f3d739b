import { describe, expect, it } from "vitest";
import { chiSquareSurvival, normalCdf, normalQuantile, studentTCdf, studentTQuantile, studentTTwoSided } from "./distributions";

// Reference values from SciPy 1.17.1 (scipy.stats.t / norm / chi2), computed independently of
// this code; the call that produced each is in the comment beside it.
describe("distributions against SciPy", () => {
  it("Student's t", () => {
    expect(studentTCdf(2.0, 5)).toBeCloseTo(0.9490302605850708, 12); // t.cdf(2.0, 5)
    expect(studentTCdf(-1.3, 2.5)).toBeCloseTo(0.15024339463535416, 12); // t.cdf(-1.3, 2.5)
    expect(studentTTwoSided(4.2, 17.3)).toBeCloseTo(0.0005813404571487163, 14); // 2 * t.sf(4.2, 17.3)
    expect(studentTQuantile(0.975, 3)).toBeCloseTo(3.1824463052837078, 9); // t.ppf(0.975, 3)
    expect(studentTQuantile(0.975, 25.3)).toBeCloseTo(2.058300956779713, 9); // t.ppf(0.975, 25.3)
    expect(studentTQuantile(0.01, 1)).toBeCloseTo(-31.82051595377396, 7); // t.ppf(0.01, 1)
  });

  it("normal, including a far tail", () => {
    expect(normalCdf(1.96)).toBeCloseTo(0.9750021048517795, 13); // norm.cdf(1.96)
    const tail = normalCdf(-8.5);
    expect(Math.abs(tail - 9.47953482220325e-18) / 9.47953482220325e-18).toBeLessThan(1e-9); // norm.cdf(-8.5)
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 12); // norm.ppf(0.975)
    expect(normalQuantile(1e-10)).toBeCloseTo(-6.361340902404056, 10); // norm.ppf(1e-10)
    expect(normalQuantile(0.3)).toBeCloseTo(-0.5244005127080409, 12); // norm.ppf(0.3)
  });

  it("chi-square upper tail", () => {
    expect(chiSquareSurvival(3.84, 1)).toBeCloseTo(0.05004352124870519, 13); // chi2.sf(3.84, 1)
    expect(chiSquareSurvival(25, 3)).toBeCloseTo(1.5440498291101365e-5, 15); // chi2.sf(25, 3)
    expect(chiSquareSurvival(0.5, 2)).toBeCloseTo(0.7788007830714049, 13); // chi2.sf(0.5, 2) = exp(-0.25)
  });
});

describe("distributions against a second implementation", () => {
  // Simpson's rule on the t density: shares no code with the incomplete-beta route.
  function tCdfByIntegration(t: number, df: number): number {
    const logC = logGammaStirling((df + 1) / 2) - logGammaStirling(df / 2) - 0.5 * Math.log(df * Math.PI);
    const density = (x: number) => Math.exp(logC - ((df + 1) / 2) * Math.log(1 + (x * x) / df));
    const steps = 20_000;
    const h = Math.abs(t) / steps;
    let sum = density(0) + density(Math.abs(t));
    for (let i = 1; i < steps; i++) sum += density(i * h) * (i % 2 ? 4 : 2);
    const half = (sum * h) / 3;
    return t >= 0 ? 0.5 + half : 0.5 - half;
  }
  // Stirling series with a shift, for the integration's normalising constant.
  function logGammaStirling(x: number): number {
    let shift = 0;
    while (x < 20) {
      shift -= Math.log(x);
      x += 1;
    }
    return shift + (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + 1 / (12 * x) - 1 / (360 * x ** 3) + 1 / (1260 * x ** 5);
  }

  it.each([
    [0.7, 3],
    [-2.2, 9.6],
    [3.1, 40],
    [1.1, 1.5],
  ])("t CDF at %d with %d df", (t, df) => {
    expect(studentTCdf(t, df)).toBeCloseTo(tCdfByIntegration(t, df), 9);
  });

  it("quantiles invert the CDFs", () => {
    for (const p of [0.001, 0.05, 0.5, 0.9, 0.999]) {
      expect(normalCdf(normalQuantile(p))).toBeCloseTo(p, 12);
      expect(studentTCdf(studentTQuantile(p, 7.5), 7.5)).toBeCloseTo(p, 10);
    }
  });
});
