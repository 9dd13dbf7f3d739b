import { describe, expect, it } from "vitest";
import { downsampleLttb } from "./lttb";

const wave = (n: number) => Array.from({ length: n }, (_, i) => ({ x: i, y: Math.sin(i / 50) }));

describe("downsampleLttb", () => {
  it("leaves a short line as it is", () => {
    const points = wave(10);
    expect(downsampleLttb(points, 20)).toEqual(points);
    expect(downsampleLttb(points, 2)).toEqual(points);
  });

  it("keeps the first and last point, x order, and at most 3 points per bucket", () => {
    const out = downsampleLttb(wave(10_000), 200);
    expect(out[0]).toEqual({ x: 0, y: 0 });
    expect(out.at(-1)?.x).toBe(9999);
    expect(out.length).toBeGreaterThanOrEqual(200);
    expect(out.length).toBeLessThanOrEqual(3 * 198 + 2);
    expect(out.map((p) => p.x)).toEqual([...out.map((p) => p.x)].sort((a, b) => a - b));
  });

  it("never drops a spike or a dip, even one point wide", () => {
    const points = wave(5_000);
    points[1234] = { x: 1234, y: 40 };
    points[4321] = { x: 4321, y: -40 };
    const out = downsampleLttb(points, 50);
    expect(out).toContainEqual({ x: 1234, y: 40 });
    expect(out).toContainEqual({ x: 4321, y: -40 });
  });

  it("follows the shape: each kept point is an original one", () => {
    const points = wave(3_000);
    const out = downsampleLttb(points, 100);
    for (const p of out) expect(points[p.x]).toEqual(p);
  });
});
