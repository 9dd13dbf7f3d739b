import { describe, expect, it } from "vitest";
import { buildAxis, lineSegments, parallelCoordinates, position } from "./parallel";
import { axisTick, scatterData } from "./scatter";

const rows = [
  { id: "a", label: "A", cells: { "param:lr": "0.1", "param:model": "rf", "metric:acc": 0.9 } },
  { id: "b", label: "B", cells: { "param:lr": "0.3", "param:model": "lr", "metric:acc": 0.7 } },
  { id: "c", label: "C", cells: { "param:lr": "0.2", "metric:acc": undefined } },
];
const columns = [
  { id: "param:lr", label: "lr" },
  { id: "param:model", label: "model" },
  { id: "metric:acc", label: "acc" },
];

describe("parallel coordinates", () => {
  it("makes numeric axes of numeric columns and categorical axes of the rest", () => {
    expect(buildAxis("x", "x", ["1", 2, undefined, "3.5"])).toEqual({ id: "x", label: "x", kind: "numeric", domain: [1, 3.5] });
    expect(buildAxis("m", "m", ["rf", "lr", "rf", "10"])).toEqual({
      id: "m",
      label: "m",
      kind: "categorical",
      categories: ["10", "lr", "rf"],
    });
  });

  it("places each run on each axis in [0, 1], with gaps for missing values, coloured by the last axis", () => {
    const { axes, lines } = parallelCoordinates({ rows, columns });
    expect(axes.map((a) => a.kind)).toEqual(["numeric", "categorical", "numeric"]);
    expect(lines[0]?.values.map((v) => (v === null ? null : Number(v.toFixed(3))))).toEqual([0, 1, 1]);
    expect(lines[1]?.values.map((v) => (v === null ? null : Number(v.toFixed(3))))).toEqual([1, 0, 0]);
    expect(lines[2]?.values[0]).toBeCloseTo(0.5);
    expect(lines[2]?.values.slice(1)).toEqual([null, null]);
    expect(lines[2]?.colour).toBeNull();
    expect(lines[0]?.colour).toBe(1);
  });

  it("centres single-valued axes and breaks lines at gaps", () => {
    expect(position({ id: "x", label: "x", kind: "numeric", domain: [3, 3] }, 3)).toBe(0.5);
    expect(position({ id: "x", label: "x", kind: "categorical", categories: ["only"] }, "only")).toBe(0.5);
    expect(lineSegments([0.1, 0.2, null, 0.3, 0.4, 0.5, null, 0.9])).toEqual([
      [
        [0, 0.1],
        [1, 0.2],
      ],
      [
        [3, 0.3],
        [4, 0.4],
        [5, 0.5],
      ],
    ]);
  });
});

describe("scatter", () => {
  it("plots two columns, categories by index, and counts runs missing a value", () => {
    const data = scatterData(rows, { id: "param:model", label: "model" }, { id: "metric:acc", label: "acc" });
    expect(data.points).toEqual([
      { id: "a", label: "A", x: 1, y: 0.9 },
      { id: "b", label: "B", x: 0, y: 0.7 },
    ]);
    expect(data.missing).toBe(1);
    expect(axisTick(data.x)(1)).toBe("rf");
    expect(axisTick(data.y)(0.123456)).toBe("0.1235");
  });
});
