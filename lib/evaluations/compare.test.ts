import { describe, expect, it } from "vitest";
import { compareArms, type Arm } from "./compare";
import { summariseRun, type ScoredItem } from "./summary";

const arm = (label: string, scores: number[], graded: number[]): Arm => {
  const items: ScoredItem[] = scores.map((s, position) => ({
    candidate: label,
    position,
    repetition: 0,
    status: "done",
    scores: { exact: { score: s, pass: s === 1 }, judge: { score: graded[position]!, pass: graded[position]! >= 0.5 } },
    passed: s === 1,
    cost: 0.001,
    latencyMs: 100 + position,
  }));
  return { runId: label, candidate: label, label, items, summary: summariseRun([label], items)[0]! };
};

describe("compareArms", () => {
  it("lists regressions and improvements, judges pass/fail evaluators by McNemar and graded ones by the paired t-test", () => {
    const base = arm("base", [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1], [0.9, 0.8, 0.9, 0.7, 0.8, 0.9, 0.6, 0.8, 0.9, 0.7, 0.4, 0.8]);
    const next = arm("next", [1, 0, 1, 0, 1, 0, 1, 0, 0, 0, 1, 0], [0.5, 0.4, 0.6, 0.3, 0.5, 0.4, 0.3, 0.5, 0.4, 0.3, 0.6, 0.4]);
    const c = compareArms(base, next);
    expect(c.pairs).toBe(12);
    expect(c.overall.regressions).toEqual([1, 3, 5, 7, 8, 9, 11]);
    expect(c.overall.improvements).toEqual([10]);
    const exact = c.evaluators.find((e) => e.evaluator === "exact")!;
    // 7 regressions against 1 improvement: exact McNemar p = 2 · P(X ≤ 1 | n = 8) = 0.0703 — not significant.
    expect(exact).toMatchObject({ regressions: 7, improvements: 1, significantRegression: false });
    expect(exact.mcnemarPValue).toBeCloseTo(0.0703125, 10);
    const judge = c.evaluators.find((e) => e.evaluator === "judge")!;
    expect(judge.meanDiff).toBeCloseTo(-0.3333333, 6);
    expect(judge.significantRegression).toBe(true);
  });

  it("does not call three identical drops significant", () => {
    const c = compareArms(arm("a", [1, 1, 1], [1, 1, 1]), arm("b", [0, 0, 0], [1, 1, 1]));
    expect(c.evaluators.find((e) => e.evaluator === "exact")).toMatchObject({
      regressions: 3,
      significantRegression: false,
      mcnemarPValue: 0.25,
    });
  });
});
