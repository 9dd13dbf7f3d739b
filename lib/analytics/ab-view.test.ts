import { describe, expect, it } from "vitest";
import { formatDiff, formatEstimate, formatP } from "./ab-view";

describe("A/B display", () => {
  it("writes rates in percent and means as numbers, with their intervals", () => {
    expect(formatEstimate(0.6123, 0.598, 0.626, true)).toBe("61.2% [59.8, 62.6]");
    expect(formatEstimate(812.345, 790.1, 834.9, false)).toBe("812.3 [790.1, 834.9]");
    expect(formatEstimate(0.5, null, null, true)).toBe("50.0%");
    expect(formatEstimate(null, null, null, false)).toBe("—");
  });
  it("writes rate differences in percentage points with a sign", () => {
    expect(formatDiff({ diff: 0.037, diffCiLow: 0.024, diffCiHigh: 0.051 }, true)).toBe("+3.7 pp [2.4, 5.1]");
    expect(formatDiff({ diff: -12.5, diffCiLow: -20, diffCiHigh: -5 }, false)).toBe("−12.5 [-20, -5]");
    expect(formatDiff({ diff: 0.01, diffCiLow: 0, diffCiHigh: 0 }, true, "sequential", { low: -0.01, high: 0.03 })).toBe(
      "+1.0 pp [-1.0, 3.0]",
    );
  });
  it("never prints a p-value of zero", () => {
    expect(formatP(0)).toBe("< 0.0001");
    expect(formatP(0.04567)).toBe("0.0457");
    expect(formatP(null)).toBe("—");
  });
});
