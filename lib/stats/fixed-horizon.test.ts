import { describe, expect, it } from "vitest";
import { normalQuantile } from "./distributions";
import { meanInterval, twoProportionTest, welchTest, wilsonInterval, type MeanSample } from "./fixed-horizon";

function sample(values: number[]): MeanSample {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1);
  return { n: values.length, mean, variance };
}

describe("Welch's t-test", () => {
  // The two worked examples of Welch's test on Wikipedia; references from SciPy 1.17.1:
  // r = ttest_ind(A2, A1, equal_var=False); r.statistic, r.pvalue, r.df, r.confidence_interval(0.95)
  it("matches worked example 1 (equal sizes)", () => {
    const a1 = sample([27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1, 21.9, 22.6, 23.1, 19.6, 19.0, 21.7, 21.4]);
    const a2 = sample([27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0, 24.8, 20.2, 21.9, 22.1, 22.9, 20.5, 24.4]);
    const r = welchTest(a1, a2);
    expect(r?.statistic).toBeCloseTo(2.455356398286006, 10);
    expect(r?.df).toBeCloseTo(24.988529290231416, 9);
    expect(r?.pValue).toBeCloseTo(0.021378001462866992, 10);
    expect(r?.diffCi[0]).toBeCloseTo(0.3492370661924069, 8);
    expect(r?.diffCi[1]).toBeCloseTo(3.984096267140929, 8);
  });

  it("matches worked example 2 (unequal sizes and variances)", () => {
    const b1 = sample([17.2, 20.9, 22.6, 18.1, 21.7, 21.4, 23.5, 24.2, 14.7, 21.8]);
    const b2 = sample([
      21.5, 22.8, 21.0, 23.0, 21.6, 23.6, 22.5, 20.7, 23.4, 21.8, 20.7, 21.7, 21.5, 22.5, 23.6, 21.5, 22.5, 23.5, 21.5, 21.8,
    ]);
    const r = welchTest(b1, b2);
    expect(r?.statistic).toBeCloseTo(1.5654335235985037, 10);
    expect(r?.df).toBeCloseTo(9.904741248650831, 9);
    expect(r?.pValue).toBeCloseTo(0.14884169660532817, 10);
    expect(r?.diffCi[0]).toBeCloseTo(-0.6484213253751658, 8);
    expect(r?.diffCi[1]).toBeCloseTo(3.698421325375163, 8);
  });

  it("handles zero variance: equal constants are no evidence, different constants are certain", () => {
    expect(welchTest({ n: 5, mean: 1, variance: 0 }, { n: 8, mean: 1, variance: 0 })).toMatchObject({ pValue: 1, diff: 0, diffCi: [0, 0] });
    expect(welchTest({ n: 5, mean: 1, variance: 0 }, { n: 8, mean: 2, variance: 0 })).toMatchObject({ pValue: 0, diff: 1, diffCi: [1, 1] });
  });

  it("needs two observations on each side", () => {
    expect(welchTest({ n: 1, mean: 1, variance: 0 }, { n: 50, mean: 2, variance: 1 })).toBeUndefined();
    expect(meanInterval({ n: 1, mean: 3, variance: 0 })).toBeUndefined();
  });

  it("reports the relative lift with a delta-method interval that contains it", () => {
    const r = welchTest({ n: 400, mean: 0.5, variance: 0.04 }, { n: 400, mean: 0.55, variance: 0.05 });
    expect(r?.lift).toBeCloseTo(0.1, 12);
    const [lo, hi] = r?.liftCi ?? [NaN, NaN];
    expect(lo).toBeLessThan(0.1);
    expect(hi).toBeGreaterThan(0.1);
    // Half-width by hand: z * sqrt(vt/mc² + mt² vc / mc⁴).
    const half = normalQuantile(0.975) * Math.sqrt(0.05 / 400 / 0.25 + (0.3025 * 0.04) / 400 / 0.0625);
    expect(hi - 0.1).toBeCloseTo(half, 12);
  });
});

describe("two-proportion test", () => {
  // p-values from SciPy 1.17.1: chi2_contingency([[x1, n1-x1], [x2, n2-x2]], correction=False)[1]
  it.each([
    [48, 80, 56, 70, 0.008045081368196582],
    [120, 1000, 150, 1000, 0.049640386865368834],
    [3, 10, 9, 10, 0.0061698993205441645],
  ])("%d/%d vs %d/%d", (x1, n1, x2, n2, p) => {
    expect(twoProportionTest({ n: n1, successes: x1 }, { n: n2, successes: x2 })?.pValue).toBeCloseTo(p, 12);
  });

  it("gives Newcombe's published interval for 56/70 − 48/80 (Newcombe 1998, method 10: 0.0524 to 0.3339)", () => {
    const r = twoProportionTest({ n: 80, successes: 48 }, { n: 70, successes: 56 });
    expect(r?.diff).toBeCloseTo(0.2, 12);
    expect(r?.diffCi[0]).toBeCloseTo(0.0524, 4);
    expect(r?.diffCi[1]).toBeCloseTo(0.3339, 4);
  });

  it("all successes on both sides is no evidence of a difference, with a sane interval", () => {
    const r = twoProportionTest({ n: 40, successes: 40 }, { n: 25, successes: 25 });
    expect(r).toMatchObject({ diff: 0, pValue: 1, statistic: 0, lift: 0 });
    expect(r?.diffCi[0]).toBeLessThan(0);
    expect(r?.diffCi[1]).toBeGreaterThan(0);
    expect(r?.diffCi[0]).toBeGreaterThanOrEqual(-1);
  });

  it("has no relative lift when the control never succeeds", () => {
    expect(twoProportionTest({ n: 20, successes: 0 }, { n: 20, successes: 5 })).toMatchObject({ lift: null, liftCi: null });
  });
});

describe("Wilson interval", () => {
  it("matches SciPy (binomtest(81, 263).proportion_ci(method='wilson'))", () => {
    const [lo, hi] = wilsonInterval({ n: 263, successes: 81 }) ?? [NaN, NaN];
    expect(lo).toBeCloseTo(0.2552885198782742, 12);
    expect(hi).toBeCloseTo(0.36620957698280004, 12);
  });

  it("solves its defining equation |p̂ − p| = z·sqrt(p(1−p)/n), found here by bisection", () => {
    const z = normalQuantile(0.975);
    for (const [x, n] of [
      [0, 12],
      [12, 12],
      [7, 31],
    ] as const) {
      const phat = x / n;
      const f = (p: number) => Math.abs(phat - p) - z * Math.sqrt((p * (1 - p)) / n);
      const root = (a: number, b: number) => {
        for (let i = 0; i < 200; i++) {
          const m = (a + b) / 2;
          if (Math.sign(f(m)) === Math.sign(f(a))) a = m;
          else b = m;
        }
        return (a + b) / 2;
      };
      const [lo, hi] = wilsonInterval({ n, successes: x }) ?? [NaN, NaN];
      const edge = 1e-15;
      expect(lo).toBeCloseTo(phat === 0 ? 0 : root(edge, Math.min(phat, 1 - edge)), 10);
      expect(hi).toBeCloseTo(phat === 1 ? 1 : root(Math.max(phat, edge), 1 - edge), 10);
    }
  });
});
