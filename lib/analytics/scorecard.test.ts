import { describe, expect, it } from "vitest";
import { buildAbReport, type DailyStats } from "./ab";
import { cellEffect, guardrailRows, metricRow, withScorecard, worseOn, type GuardrailTotals } from "./scorecard";

const D = 86_400_000;
const day = (variant: string, d: number, n: number, successes: number): DailyStats => ({
  variant,
  day: d * D,
  n,
  sum: successes,
  sumSq: successes,
});
const report = (perDay: number, rates: [number, number]) =>
  buildAbReport({
    functionName: "f",
    metric: { name: "helpful", type: "boolean", optimize: "max", level: "inference", declared: true },
    control: "A",
    from: 0,
    to: 5 * D,
    daily: Array.from({ length: 5 }, (_, d) => [day("A", d, perDay, perDay * rates[0]), day("B", d, perDay, perDay * rates[1])]).flat(),
    variants: [
      { name: "A", weight: 1 },
      { name: "B", weight: 1 },
    ],
    traffic: new Map(),
  });
const totals = (variant: string, requests: number, errors: number): GuardrailTotals => ({
  variant,
  requests,
  errors,
  costSum: requests * 0.002,
  costSumSq: requests * 0.002 ** 2,
  latency: [[500, requests]],
});

describe("scorecard", () => {
  it("says too little data below the minimum sample instead of an absurd interval", () => {
    // 4 observations a variant: the always-valid interval would run far past ±100 pp.
    const small = report(2, [0.5, 0.5]);
    const row = metricRow(small, "primary");
    expect(row.cells[1]).toMatchObject({ status: "too-little-data", effect: null, low: null, high: null });
    expect(cellEffect(row, row.cells[1]!)).toBeNull();
    const guard = guardrailRows([totals("A", 20, 2), totals("B", 20, 15)], ["A", "B"], "A");
    expect(guard.map((r) => r.cells[1]?.status)).toEqual(["too-little-data", "too-little-data", "too-little-data", "too-little-data"]);
  });

  it("keeps a rate's interval within [−100, +100] pp and reads the error rate lower-is-better", () => {
    const [, , , errors] = guardrailRows([totals("A", 40, 0), totals("B", 40, 36)], ["A", "B"], "A");
    const b = errors!.cells[1]!;
    expect(b.status).toBe("worse");
    expect(b.low).toBeGreaterThanOrEqual(-1);
    expect(b.high).toBeLessThanOrEqual(1);
    expect(cellEffect(errors!, b)).toMatch(/^\+90\.0 pp \[\+\d+\.\d pp, \+100\.0 pp\]$/);
  });

  it("shows the chosen metric's row with the same interval as the verdict, and warns when a winner is worse elsewhere", () => {
    const r = report(800, [0.6, 0.66]);
    expect(r.variants[1]?.verdict).toBe("winner");
    const primary = metricRow(r, "primary");
    const text = cellEffect(primary, primary.cells[1]!)!;
    expect(r.headline).toContain(text.replace(" [", ", 95% always-valid interval ["));
    // B's requests fail 10% against 1%.
    const scored = withScorecard(r, [], guardrailRows([totals("A", 4000, 40), totals("B", 4000, 400)], ["A", "B"], "A"));
    expect(worseOn(scored.scorecard, "B").map((x) => x.key)).toEqual(["error_rate"]);
    expect(scored.headline).toMatch(/ But B is worse on error rate \(\+9\.0 pp\)\.$/);
    expect(scored.scorecard.map((x) => x.group)).toEqual(["primary", "guardrail", "guardrail", "guardrail", "guardrail"]);
  });

  it("lists another metric with its own interval, and no warning when nothing is worse", () => {
    const other = {
      ...report(800, [0.5, 0.5]),
      metric: { name: "safe", type: "boolean" as const, optimize: "max" as const, level: "inference" as const, declared: true },
    };
    const scored = withScorecard(
      report(800, [0.6, 0.66]),
      [other],
      guardrailRows([totals("A", 4000, 40), totals("B", 4000, 40)], ["A", "B"], "A"),
    );
    const safe = scored.scorecard.find((x) => x.key === "metric:safe")!;
    expect(safe).toMatchObject({ group: "metric", scale: "pp" });
    expect(safe.cells[1]?.status).toBe("unclear");
    expect(scored.headline).not.toMatch(/But/);
  });
});
