import { describe, expect, it } from "vitest";
import { mcnemar, pairedTTest } from "./paired";

// Reference values from scipy 1.x (stats.ttest_rel and its confidence_interval) and statsmodels
// (contingency_tables.mcnemar, exact=True and exact=False with correction), computed once and pasted here.

describe("pairedTTest", () => {
  it("matches scipy.stats.ttest_rel(b, a)", () => {
    const a = [0.8, 0.6, 0.9, 0.4, 0.7, 0.5, 0.65, 0.9, 0.3, 0.75, 0.55, 0.85];
    const b = [0.7, 0.65, 0.6, 0.3, 0.72, 0.2, 0.6, 0.95, 0.1, 0.7, 0.5, 0.8];
    const r = pairedTTest(b.map((x, i) => x - a[i]!))!;
    expect(r.meanDiff).toBeCloseTo(-0.09, 12);
    expect(r.t).toBeCloseTo(-2.599717965837128, 10);
    expect(r.pValue).toBeCloseTo(0.02470641732974709, 10);
    expect(r.ci[0]).toBeCloseTo(-0.16619621320902075, 9);
    expect(r.ci[1]).toBeCloseTo(-0.013803786790979267, 9);
    expect(r.df).toBe(11);
  });

  it("handles too few pairs and identical runs", () => {
    expect(pairedTTest([0.1])).toBeUndefined();
    expect(pairedTTest([0, 0, 0])).toMatchObject({ meanDiff: 0, pValue: 1 });
  });
});

const table = (both: number, onlyA: number, onlyB: number, neither: number) => {
  const a: boolean[] = [];
  const b: boolean[] = [];
  const push = (count: number, x: boolean, y: boolean) => {
    for (let i = 0; i < count; i++) {
      a.push(x);
      b.push(y);
    }
  };
  push(both, true, true);
  push(onlyA, true, false);
  push(onlyB, false, true);
  push(neither, false, false);
  return [a, b] as const;
};

describe("mcnemar", () => {
  it.each([
    [30, 9, 2, 9, 0.0654296875, 3.272727272727273, 0.070440429272088],
    [100, 3, 3, 4, 1.0, 0.16666666666666666, 0.6830913983096086],
    [5, 12, 1, 2, 0.00341796875, 7.6923076923076925, 0.0055456673152440615],
  ])("matches statsmodels for [[%i, %i], [%i, %i]]", (both, onlyA, onlyB, neither, exact, chi2, chi2p) => {
    const r = mcnemar(...table(both, onlyA, onlyB, neither))!;
    expect(r.pValue).toBeCloseTo(exact, 10);
    expect(r.chiSquare).toBeCloseTo(chi2, 10);
    expect(r.chiSquarePValue).toBeCloseTo(chi2p, 8);
    expect(r).toMatchObject({ onlyA, onlyB, diff: (onlyB - onlyA) / (both + onlyA + onlyB + neither) });
  });

  it("gives a paired-difference interval around the difference, inside [-1, 1]", () => {
    const r = mcnemar(...table(30, 9, 2, 9))!;
    expect(r.ci[0]).toBeLessThan(r.diff);
    expect(r.ci[1]).toBeGreaterThan(r.diff);
    expect(r.ci[0]).toBeGreaterThanOrEqual(-1);
    expect(r.ci[1]).toBeLessThan(0.05); // 9 regressions against 2 improvements: nearly all of it below zero
    const same = mcnemar(...table(10, 0, 0, 10))!;
    expect(same.diff).toBe(0);
    expect(same.pValue).toBe(1);
  });
});
