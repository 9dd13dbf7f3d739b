import { describe, expect, it } from "vitest";
import type { AbReport, AbVariant } from "./ab";
import { boundarySeries, designLabel, formatDays, formatDiff, formatEffectSize, formatEstimate, formatP } from "./ab-view";

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

  it("says which design decides and where it stands, past the horizon too", () => {
    const variant = (over: Partial<AbVariant>) => ({ name: "B", isControl: false, estimate: 0.1, path: [], ...over }) as AbVariant;
    const report = (design: AbReport["design"], looks: number) =>
      ({
        design,
        looks,
        metric: { type: "boolean" },
        variants: [
          variant({ name: "A", isControl: true }),
          variant({ path: Array.from({ length: looks }, (_, i) => ({ look: i + 1, z: -1, boundary: i === 0 ? 9 : 2 })) }),
        ],
      }) as unknown as AbReport;
    expect(designLabel(report({ kind: "open", looks: null, start: null, configured: false }, 3))).toMatch(/^open design: always-valid/);
    expect(designLabel(report({ kind: "planned", looks: 10, start: null, configured: true }, 4))).toBe(
      "planned design: 10 daily looks with O'Brien–Fleming alpha spending (look 4 of 10)",
    );
    expect(designLabel(report({ kind: "planned", looks: 3, start: null, configured: true }, 4))).toMatch(/past the horizon: looks after 3/);
    // |z| against the boundary; the first look's huge boundary is left out of the chart.
    const [z, c] = boundarySeries(report({ kind: "planned", looks: 10, start: null, configured: true }, 2));
    expect(z?.points).toEqual([
      { x: 1, y: 1 },
      { x: 2, y: 1 },
    ]);
    expect(c?.points).toEqual([
      { x: 1, y: null },
      { x: 2, y: 2 },
    ]);
    expect(formatEffectSize(0.015, report({ kind: "open", looks: null, start: null, configured: false }, 1))).toBe("1.5 pp (15.0%)");
    expect([formatDays(null), formatDays(0), formatDays(0.4), formatDays(1), formatDays(11.2)]).toEqual([
      "—",
      "decided",
      "less than a day",
      "about 1 day",
      "about 12 days",
    ]);
  });
});
