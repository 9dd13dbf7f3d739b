import { describe, expect, it } from "vitest";
import { isLater, latestPerKey } from "./latest";

const point = (key: string, step: number, timestamp: number, value: number) => ({ key, step, timestamp, value });

describe("latest metric", () => {
  it("is the greatest (step, timestamp, value), as MLflow's latest_metrics", () => {
    expect(isLater(point("a", 2, 0, 0), point("a", 1, 9, 9))).toBe(true);
    expect(isLater(point("a", 1, 5, 0), point("a", 1, 4, 9))).toBe(true);
    expect(isLater(point("a", 1, 5, 2), point("a", 1, 5, 1))).toBe(true);
    expect(isLater(point("a", 1, 5, 1), point("a", 1, 5, 1))).toBe(false);
  });

  it("orders NaN above numbers, as Postgres does, so SQL and JS agree", () => {
    expect(isLater(point("a", 1, 1, Number.NaN), point("a", 1, 1, Number.POSITIVE_INFINITY))).toBe(true);
    expect(isLater(point("a", 1, 1, 5), point("a", 1, 1, Number.NaN))).toBe(false);
  });

  it("keeps one point per key, sorted by key for a stable lock order", () => {
    const latest = latestPerKey([point("b", 1, 1, 1), point("a", 0, 1, 1), point("b", 3, 0, 7), point("b", 2, 9, 9)]);
    expect(latest).toEqual([point("a", 0, 1, 1), point("b", 3, 0, 7)]);
  });
});
