import { describe, expect, it } from "vitest";
import { calibrate, pearson, type CalibrationPair } from "./calibration";

/** `counts` pairs of each cell: [human pass & judge pass, human pass & judge fail, human fail & judge pass, both fail]. */
function pairs(version: string, at: number, [a, b, c, d]: [number, number, number, number]): CalibrationPair[] {
  const cell = (human: number, judge: number, n: number) =>
    Array.from({ length: n }, () => ({ metric: "helpful", judgeVersion: version, inferenceId: "x", human, judge, judgedAt: at }));
  return [...cell(1, 0.9, a), ...cell(1, 0.2, b), ...cell(0, 0.8, c), ...cell(0, 0.1, d)];
}

describe("judge calibration", () => {
  it("matches a hand-computed Cohen's kappa, phi correlation and confusion table", () => {
    // 20 pairs: 8 both pass, 2 human pass / judge fail, 3 human fail / judge pass, 7 both fail.
    // p_o = 15/20 = 0.75; human pass 10/20, judge pass 11/20; p_e = 0.5·0.55 + 0.5·0.45 = 0.5;
    // kappa = (0.75 − 0.5) / (1 − 0.5) = 0.5.
    const [row] = calibrate(pairs("model:judge", 1, [8, 2, 3, 7]));
    expect(row!.kappa).toBeCloseTo(0.5, 12);
    expect(row!.observed).toBeCloseTo(0.75, 12);
    expect(row!.confusion).toEqual({ bothPass: 8, humanPassJudgeFail: 2, humanFailJudgePass: 3, bothFail: 7 });
    expect(row!.flag).toBeNull();
    // Pearson on the numbers (human 0/1, judge 0.9/0.2/0.8/0.1), checked with numpy.corrcoef.
    expect(row!.correlation).toBeCloseTo(0.5986181220027426, 10);
  });

  it("flags a judge version whose agreement drops", () => {
    // The new version: 10 pairs 3/2/3/2: p_o = 0.5, p_e = 0.5·0.6 + 0.5·0.4 = 0.5, kappa = 0.
    const rows = calibrate([...pairs("judge/v1@judge.v1/1", 1, [8, 2, 3, 7]), ...pairs("judge/v2@judge.v2/1", 2, [3, 2, 3, 2])]);
    expect(rows.map((r) => [r.judgeVersion, r.kappa])).toEqual([
      ["judge/v1@judge.v1/1", 0.5],
      ["judge/v2@judge.v2/1", 0],
    ]);
    expect(rows[1]!.flag).toMatch(/agreement dropped: kappa 0.00 vs 0.50/);
  });

  it("pearson is undefined for constant inputs", () => {
    expect(pearson([1, 1, 1], [0, 0.5, 1])).toBeNull();
    expect(pearson([0, 1], [0, 1])).toBeCloseTo(1, 12);
  });
});
