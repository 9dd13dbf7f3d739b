import { describe, expect, it } from "vitest";
import { normalCdf, normalQuantile, normalTail } from "./distributions";
import { exitProbabilities, obrienFlemingSpending, plannedDrift, spendingBoundaries } from "./group-sequential";

/**
 * Reference values: the published K = 5 design, and boundaries computed independently in SciPy
 * from the multivariate normal distribution of the look statistics (Genz's algorithm,
 * `multivariate_normal(cov=√(I_min/I_max)).cdf(c, lower_limit=−c)`, solved look by look with
 * brentq so that P(no crossing through look k) = 1 − 2 α(t_k)), not by recursive integration.
 */
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

describe("O'Brien–Fleming-type spending", () => {
  it("spends nothing at the start and α/2 per side at the horizon", () => {
    expect(obrienFlemingSpending(0, 0.025)).toBe(0);
    expect(obrienFlemingSpending(1, 0.025)).toBe(0.025);
    expect(obrienFlemingSpending(0.5, 0.025)).toBeCloseTo(2 * normalCdf(-normalQuantile(1 - 0.0125) / Math.sqrt(0.5)), 14);
  });
});

describe("spending boundaries by recursive integration", () => {
  it("match the published five-look design (Lan–DeMets O'Brien–Fleming, α = 0.025 per side)", () => {
    // Jennison & Turnbull (2000) and gsDesign's sfLDOF with k = 5: 4.877, 3.357, 2.680, 2.290, 2.031.
    const c = spendingBoundaries({ information: [1, 2, 3, 4, 5], fractions: [0.2, 0.4, 0.6, 0.8, 1], alpha: 0.05 });
    expect(c.map((x) => Number(x.toFixed(3)))).toEqual([4.877, 3.357, 2.68, 2.29, 2.031]);
  });

  it.each([
    ["five equal looks", [1, 2, 3, 4, 5], 0.05, undefined, [4.87688, 3.35701, 2.68028, 2.28982, 2.03103]],
    ["unequal looks", [0.3, 0.7, 1], 0.05, undefined, [3.92857, 2.43874, 2.00001]],
    ["α = 0.10, uneven", [1, 1.5, 3.2, 4], 0.1, undefined, [3.74955, 3.00195, 1.91145, 1.73068]],
    ["calendar fractions, horizon not reached", [2, 5, 6], 0.05, [0.25, 0.5, 0.75], [4.33263, 2.9634, 2.34512]],
  ])("match SciPy's multivariate normal computation (%s)", (_, information, alpha, fractions, want) => {
    const c = spendingBoundaries({ information, fractions: fractions ?? information.map((x) => x / information.at(-1)!), alpha });
    c.forEach((x, i) => expect(Math.abs(x - want[i]!)).toBeLessThan(2e-5));
  });

  let total = 0;
  const uneven = Array.from({ length: 30 }, (_, i) => (total += 1 + 0.8 * Math.sin(i) + (i % 7 === 5 ? 3 : 0)));
  let days = 0;
  const weekends = Array.from({ length: 90 }, (_, i) => (days += [0, 6].includes(i % 7) ? 0.45 : 1));
  it.each([
    ["30 uneven looks", uneven],
    ["90 daily looks with quiet weekends", weekends],
  ])("spend α under the null within 1e-5, whatever the spacing (%s)", (_, information) => {
    const fractions = information.map((_, i) => (i + 1) / information.length);
    const c = spendingBoundaries({ information, fractions, alpha: 0.05 });
    // Evaluated on a much finer grid than the one that found the boundaries.
    const { upper, lower } = exitProbabilities(c, information, 0, { r: 48 });
    expect(Math.abs(sum(upper) + sum(lower) - 0.05)).toBeLessThan(1e-5);
    // Each look spends its own share: the running total follows the spending function.
    let spent = 0;
    for (const [k, t] of fractions.entries()) {
      spent += (upper[k] ?? 0) + (lower[k] ?? 0);
      expect(Math.abs(spent - 2 * obrienFlemingSpending(t, 0.025))).toBeLessThan(1e-5);
    }
  });

  it("refuse information that does not grow", () => {
    expect(() => spendingBoundaries({ information: [1, 1], fractions: [0.5, 1], alpha: 0.05 })).toThrow(/increase/);
  });

  it("keep earlier boundaries when looks are added, and leave unspent α to later looks", () => {
    const six = spendingBoundaries({ information: [1, 2, 3, 4, 5, 6], fractions: [1, 2, 3, 4, 5, 6].map((k) => k / 6), alpha: 0.05 });
    const four = spendingBoundaries({ information: [1, 2, 3, 4], fractions: [1, 2, 3, 4].map((k) => k / 6), alpha: 0.05 });
    expect(four).toEqual(six.slice(0, 4));
    const last = six.at(-1)!;
    expect(last).toBeGreaterThan(normalQuantile(0.975));
    expect(last).toBeLessThan(2.1);
  });
});

describe("power of the planned design", () => {
  it("finds the drift of 80% power for five looks as SciPy does (2.83599), a little above the fixed test's 2.80159", () => {
    expect(plannedDrift(5, 0.05, 0.8)).toBeCloseTo(2.83599, 4);
    expect(plannedDrift(30, 0.05, 0.8)).toBeGreaterThan(plannedDrift(5, 0.05, 0.8));
    expect(plannedDrift(30, 0.05, 0.8)).toBeLessThan(2.9);
  });

  it("conditions on an observed statistic: far above the next boundary, a decision is all but certain", () => {
    const information = [1, 2, 3];
    const c = spendingBoundaries({ information, fractions: [1 / 3, 2 / 3, 1], alpha: 0.05 });
    const { upper } = exitProbabilities(c.slice(1), [2, 3], 0, { start: { info: 1, score: 2 * c[1]! * Math.sqrt(2) } });
    expect(upper[0]).toBeGreaterThan(0.99);
  });
});

describe("normalTail (Hart's algorithm)", () => {
  it("agrees with the incomplete-gamma normal CDF to 1e-8 relative, from the centre to 1e-300", () => {
    let worst = 0;
    for (let x = -8; x <= 37; x += 0.01) {
      const want = normalCdf(-x);
      worst = Math.max(worst, Math.abs(normalTail(x) - want) / want);
    }
    expect(worst).toBeLessThan(1e-8);
  });
});
