import { describe, expect, it } from "vitest";
import { effectSentence, effectText, intervalKind, scaleOf } from "./effect";

describe("effectText", () => {
  it("writes a lift with thousands separators and never below −100%", () => {
    expect(effectText("lift", 18, [17.54, 18.47])).toMatchObject({
      point: "+1,800%",
      interval: "[+1,754%, +1,847%]",
      unit: "relative lift",
    });
    expect(effectText("lift", -0.5, [-1.7, 0.2]).interval).toBe("[−100%, +20.0%]");
  });

  it("clips a rate difference to ±100 pp and leaves out an interval that is not finite", () => {
    expect(effectText("pp", 0.9, [-1.6, 3.4]).interval).toBe("[−100.0 pp, +100.0 pp]");
    expect(effectText("relative", 0.1, [-Infinity, Infinity], 2).interval).toBeNull();
  });

  it("chooses the scale from the metric's type and its control", () => {
    expect([scaleOf("boolean", 0.5), scaleOf("float", 2), scaleOf("float", 0), scaleOf("float", null)]).toEqual([
      "pp",
      "relative",
      "absolute",
      "absolute",
    ]);
  });

  it("names the interval's kind and level", () => {
    expect(intervalKind("open")).toBe("95% always-valid interval");
    expect(intervalKind("planned", 0.1)).toBe("90% repeated confidence interval");
    expect(effectSentence(effectText("lift", 0.5, [0.1, 0.9]), intervalKind("open"))).toBe(
      "+50.0% (relative lift), 95% always-valid interval [+10.0%, +90.0%]",
    );
  });
});
