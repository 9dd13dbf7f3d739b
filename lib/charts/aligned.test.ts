import { describe, expect, it } from "vitest";
import { alignSeries, nearestPoint, summarise } from "./aligned";
import type { Series } from "./series";

const line = (label: string, points: [number, number | null][]): Series => ({
  key: label,
  label,
  points: points.map(([x, y]) => ({ x, y })),
});

describe("alignSeries", () => {
  it("puts every series on the union of x values, missing x's undefined (joined over), not gaps", () => {
    const { xs, ys } = alignSeries([
      line("a", [
        [0, 1],
        [2, 3],
      ]),
      line("b", [
        [1, 5],
        [2, 6],
      ]),
    ]);
    expect(xs).toEqual([0, 1, 2]);
    expect(ys).toEqual([
      [1, undefined, 3],
      [undefined, 5, 6],
    ]);
  });

  it("widens a recorded gap to every shared x between the series' own values around it", () => {
    const { xs, ys } = alignSeries([
      line("a", [
        [0, 1],
        [4, null],
        [8, 2],
      ]),
      line("b", [
        [0, 1],
        [2, 1],
        [6, 1],
        [8, 1],
        [10, 1],
      ]),
    ]);
    expect(xs).toEqual([0, 2, 4, 6, 8, 10]);
    // a's line must not run from 0 to 8 except in the column of x = 4.
    expect(ys[0]).toEqual([1, null, null, null, 2, undefined]);
    expect(ys[1]).toEqual([1, 1, undefined, 1, 1, 1]);
  });

  it("treats non-finite values as gaps and a trailing gap as reaching the end", () => {
    const { ys } = alignSeries([
      line("a", [
        [0, 1],
        [1, 2],
        [2, Number.NaN],
      ]),
      line("b", [[3, 1]]),
    ]);
    expect(ys[0]).toEqual([1, 2, null, null]);
  });

  it("dots a value alone between gaps, and every value of a sparse series only", () => {
    const dense = Array.from({ length: 30 }, (_, i): [number, number | null] => [i, i === 10 || i === 12 ? null : i]);
    const { xs, dots } = alignSeries([
      line("dense", dense),
      line("sparse", [
        [0, 1],
        [29, 2],
      ]),
    ]);
    // x = 11 sits between the gaps at 10 and 12: drawn as a dot, no other value of the dense series is.
    expect(dots[0]!.map((i) => xs[i])).toEqual([11]);
    expect(dots[1]!.map((i) => xs[i])).toEqual([0, 29]);
  });
});

describe("nearestPoint", () => {
  const points = [
    { x: 0, y: 1 },
    { x: 10, y: 2 },
    { x: 20, y: 3 },
  ];
  it("finds the nearest x on either side, the earlier on a tie", () => {
    expect(nearestPoint(points, 4)?.y).toBe(1);
    expect(nearestPoint(points, 6)?.y).toBe(2);
    expect(nearestPoint(points, 5)?.y).toBe(1);
    expect(nearestPoint(points, -100)?.y).toBe(1);
    expect(nearestPoint(points, 100)?.y).toBe(3);
    expect(nearestPoint([], 1)).toBeUndefined();
  });
});

describe("summarise", () => {
  it("counts finite values and gives each line's first, last, min and max", () => {
    expect(
      summarise([
        line("a", [
          [0, 3],
          [1, null],
          [2, -1],
          [3, 2],
        ]),
      ]),
    ).toEqual([{ label: "a", count: 3, first: { x: 0, y: 3 }, last: { x: 3, y: 2 }, min: -1, max: 3 }]);
  });
});
