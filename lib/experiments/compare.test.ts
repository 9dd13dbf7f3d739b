import { describe, expect, it } from "vitest";
import { chartRows, compareRows, varyingParams } from "./compare";
import type { RunRowData } from "./schemas";

const run = (runId: string, params: Record<string, string>, metrics: RunRowData["metrics"]): RunRowData => ({
  runId,
  runName: runId.toUpperCase(),
  experimentId: "1",
  userId: "",
  status: "FINISHED",
  startTime: 0,
  endTime: null,
  lifecycleStage: "active",
  parentRunId: null,
  childCount: 0,
  datasets: [],
  models: [],
  metrics,
  params,
  tags: {},
});

describe("compareRows", () => {
  const runs = [
    run("a", { lr: "0.1", seed: "1" }, { acc: 0.9, loss: "NaN" }),
    run("b", { lr: "0.2", seed: "1" }, { acc: 0.9, loss: "NaN" }),
    run("c", { seed: "1" }, { acc: 0.8 }),
  ];

  it("lists params then metrics, marking rows whose values differ (missing counts as different)", () => {
    const rows = compareRows(runs.slice(0, 2), false);
    expect(rows.map((r) => [r.id, r.differs])).toEqual([
      ["param:lr", true],
      ["param:seed", false],
      ["metric:acc", false],
      ["metric:loss", false],
    ]);
    expect(compareRows(runs, true).map((r) => r.id)).toEqual(["param:lr", "metric:acc", "metric:loss"]);
  });

  it("gives chart cells with non-finite metrics left out, and the varying params", () => {
    expect(chartRows(runs)[0]).toEqual({
      id: "a",
      label: "A",
      cells: { "param:lr": "0.1", "param:seed": "1", "metric:acc": 0.9, "metric:loss": undefined },
    });
    expect(varyingParams(runs)).toEqual(["lr"]);
  });
});
