import { describe, expect, it } from "vitest";
import { bucketsFor, bucketsToSeries, prepareMetricChart, type Bucket } from "./history";

const b = (
  runId: string,
  key: string,
  xLo: number,
  yLo: number,
  xHi: number,
  yHi: number,
  n = 2,
  first?: [number, number],
  last?: [number, number],
): Bucket => {
  const [xFirst, yFirst] = first ?? (xLo < xHi ? [xLo, yLo] : [xHi, yHi]);
  const [xLast, yLast] = last ?? (xLo < xHi ? [xHi, yHi] : [xLo, yLo]);
  return { runId, key, xLo, yLo, xHi, yHi, xFirst, yFirst, xLast, yLast, n };
};

describe("bucketsToSeries", () => {
  it("keeps each bucket's first, min, max and last in x order, each once, and counts the points", () => {
    const series = bucketsToSeries([
      b("r1", "loss", 5, 0.1, 2, 0.9, 10, [0, 0.5], [9, 0.3]),
      b("r1", "loss", 10, 0.5, 10, 0.5, 1),
      b("r2", "loss", 0, 1, 1, 2),
    ]);
    expect(series).toEqual([
      {
        runId: "r1",
        key: "loss",
        points: [
          [0, 0.5],
          [2, 0.9],
          [5, 0.1],
          [9, 0.3],
          [10, 0.5],
        ],
        total: 11,
      },
      {
        runId: "r2",
        key: "loss",
        points: [
          [0, 1],
          [1, 2],
        ],
        total: 2,
      },
    ]);
  });
});

describe("bucketsFor", () => {
  it("shrinks per-series detail as series multiply, within bounds", () => {
    expect(bucketsFor(1, 1)).toBe(500);
    expect(bucketsFor(1, 4)).toBe(500);
    expect(bucketsFor(1, 10)).toBe(300);
    expect(bucketsFor(10, 4)).toBe(75);
    expect(bucketsFor(100, 4)).toBe(20);
    expect(bucketsFor(1000, 10)).toBe(20);
  });
});

describe("prepareMetricChart", () => {
  const history = [
    {
      runId: "a",
      key: "loss",
      points: [
        [1000, 4],
        [2000, 2],
        [3000, 0],
      ] as [number, number][],
      total: 3,
    },
    { runId: "b", key: "loss", points: [[5000, 1]] as [number, number][], total: 1 },
  ];
  const runs = [
    { runId: "a", runName: "alpha" },
    { runId: "b", runName: "" },
    { runId: "c", runName: "no data" },
  ];

  it("one series per run with data, labelled by run name", () => {
    const series = prepareMetricChart(history, "loss", runs, { x: "wall", smoothing: 0, logScale: false });
    expect(series.map((s) => [s.key, s.label])).toEqual([
      ["r_a", "alpha"],
      ["r_b", "b"],
    ]);
    const onlyB = prepareMetricChart(history, "loss", [{ runId: "c", runName: "no data" }, ...runs.slice(0, 2)], {
      x: "wall",
      smoothing: 0,
      logScale: false,
    });
    expect(onlyB.map((s) => s.color)).toEqual(["var(--chart-2)", "var(--chart-3)"]);
    expect(series[0]?.points).toEqual([
      { x: 1000, y: 4 },
      { x: 2000, y: 2 },
      { x: 3000, y: 0 },
    ]);
  });

  it("starts each run at zero on the relative time axis", () => {
    const [a, bSeries] = prepareMetricChart(history, "loss", runs, { x: "relative", smoothing: 0, logScale: false });
    expect(a?.points.map((p) => p.x)).toEqual([0, 1000, 2000]);
    expect(bSeries?.points.map((p) => p.x)).toEqual([0]);
  });

  it("smooths with a debiased EMA and turns non-positive values into gaps on a log scale", () => {
    const [a] = prepareMetricChart(history, "loss", runs, { x: "step", smoothing: 0.5, logScale: true });
    expect(a?.points[0]).toEqual({ x: 1000, y: 4 });
    expect(a?.points[1]?.y).toBeCloseTo((0.5 * 0.5 * 4 + 0.5 * 2) / (1 - 0.25), 10);
    const [raw] = prepareMetricChart(history, "loss", runs, { x: "step", smoothing: 0, logScale: true });
    expect(raw?.points[2]).toEqual({ x: 3000, y: null });
  });
});
