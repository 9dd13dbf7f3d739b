import { describe, expect, it } from "vitest";
import { trackAndStopWeights, type ArmStats } from "./allocation";

const arm = (name: string, mean: number, variance: number, n = 500): ArmStats => ({ name, n, mean, variance });
const objective = (arms: ArmStats[], w: number[]) => {
  const leader = arms.reduce((best, a, i) => (a.mean > arms[best]!.mean ? i : best), 0);
  return Math.max(
    ...arms.map((a, i) =>
      i === leader ? -Infinity : (a.variance / w[i]! + arms[leader]!.variance / w[leader]!) / (arms[leader]!.mean - a.mean) ** 2,
    ),
  );
};

describe("track-and-stop weights", () => {
  it("split two arms in proportion to their standard deviations (the closed form)", () => {
    const w = trackAndStopWeights([arm("a", 0.5, 0.25), arm("b", 0.6, 0.09)], { optimize: "max", floor: 0.05 });
    expect(w?.get("a")).toBeCloseTo(0.5 / 0.8, 5);
    expect(w?.get("b")).toBeCloseTo(0.3 / 0.8, 5);
  });

  it("give equal arms the classic √(K−1) leader share", () => {
    const w = trackAndStopWeights([arm("a", 0.6, 0.24), arm("b", 0.6, 0.24), arm("c", 0.6, 0.24)], { optimize: "max", floor: 0.05 });
    expect(w?.get("a")).toBeCloseTo(Math.SQRT2 / (Math.SQRT2 + 2), 5);
  });

  it("minimise the identification objective, better than any other point on a grid", () => {
    const arms = [arm("a", 0.62, 0.2356), arm("b", 0.78, 0.1716), arm("c", 0.6, 0.24), arm("d", 0.7, 0.21)];
    const w = trackAndStopWeights(arms, { optimize: "max", floor: 0.05 })!;
    const found = objective(
      arms,
      arms.map((a) => w.get(a.name)!),
    );
    for (let x = 0.05; x < 0.85; x += 0.05)
      for (let y = 0.05; x + y < 0.9; y += 0.05)
        for (let z = 0.05; x + y + z < 0.95; z += 0.05) expect(found).toBeLessThanOrEqual(objective(arms, [x, y, z, 1 - x - y - z]) + 1e-9);
  });

  it("keep every arm at the floor or above, sum to one, and starve an arm far behind", () => {
    const w = trackAndStopWeights([arm("a", 0.62, 0.2356), arm("b", 0.64, 0.23), arm("c", 0.3, 0.21)], { optimize: "max", floor: 0.1 })!;
    expect([...w.values()].reduce((s, x) => s + x, 0)).toBeCloseTo(1, 12);
    expect(w.get("c")).toBeCloseTo(0.1, 9);
    for (const x of w.values()) expect(x).toBeGreaterThanOrEqual(0.1 - 1e-12);
  });

  it("reads the direction of the metric, and waits for the minimum sample", () => {
    const arms = [arm("fast", 200, 400), arm("slow", 260, 400), arm("slower", 300, 400)];
    const w = trackAndStopWeights(arms, { optimize: "min", floor: 0.05 })!;
    expect(w.get("slower")).toBeLessThan(w.get("fast")!);
    expect(trackAndStopWeights([arm("a", 1, 1, 10), arm("b", 2, 1)], { optimize: "max", floor: 0.1, minSamples: 50 })).toBeUndefined();
  });
});
