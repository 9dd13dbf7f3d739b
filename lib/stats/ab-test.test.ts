import { describe, expect, it } from "vitest";
import { analyseAb, type VariantInput } from "./ab-test";
import { formatEffect } from "./verdict";

const bool = (name: string, n: number, successes: number, weight?: number): VariantInput => ({
  name,
  stats: { kind: "boolean", n, successes },
  weight,
});
const float = (name: string, n: number, mean: number, sd: number): VariantInput => ({
  name,
  stats: { kind: "float", n, mean, variance: sd * sd },
});

describe("analyseAb", () => {
  it("calls a clear winner with its lift and always-valid interval", () => {
    const r = analyseAb({
      metric: { name: "accuracy", type: "boolean", optimize: "max" },
      control: "A",
      variants: [bool("A", 4000, 2400), bool("B", 4000, 2640)],
    });
    const b = r.variants.find((v) => v.name === "B");
    expect(b?.comparison?.verdict.status).toBe("winner");
    expect(r.headline).toMatch(/^B beats A on accuracy, \+10\.0% \[\d+\.\d, \d+\.\d\], enough data\.$/);
    // The sequential interval is wider than the fixed-horizon one: it pays for peeking.
    const seq = b?.comparison?.sequential.ci ?? [0, 0];
    const fixed = b?.comparison?.diffCi ?? [0, 0];
    expect(seq[1] - seq[0]).toBeGreaterThan(fixed[1] - fixed[0]);
    expect(b?.comparison?.pValue).toBeLessThan(b?.comparison?.sequential.pValue ?? 0);
  });

  it("reads 'worse' and 'beats' by the metric's direction", () => {
    const latency = analyseAb({
      metric: { name: "latency", type: "float", optimize: "min" },
      control: "A",
      variants: [float("A", 500, 800, 100), float("B", 500, 700, 100)],
    });
    expect(latency.headline).toMatch(/^B beats A on latency, −12\.5% /);
    const score = analyseAb({
      metric: { name: "score", type: "float", optimize: "max" },
      control: "A",
      variants: [float("A", 500, 800, 100), float("B", 500, 700, 100)],
    });
    expect(score.headline).toMatch(/^B is worse than A on score, −12\.5% /);
  });

  it("says how many more samples an inconclusive comparison needs", () => {
    const r = analyseAb({
      metric: { name: "accuracy", type: "boolean", optimize: "max" },
      control: "A",
      variants: [bool("A", 300, 180), bool("B", 300, 186)],
    });
    const verdict = r.variants[1]?.comparison?.verdict;
    expect(verdict?.status).toBe("inconclusive");
    expect(verdict?.text).toMatch(
      /^Not enough data yet: B vs A on accuracy is \+3\.3% \[.*\]; about [\d,]+ more samples per variant needed to detect a 5% difference\.$/,
    );
    expect(verdict?.morePerVariant).toBeGreaterThan(1000);
  });

  it("waits for a minimum sample before comparing", () => {
    const r = analyseAb({
      metric: { name: "accuracy", type: "boolean", optimize: "max" },
      control: "A",
      variants: [bool("A", 12, 6), bool("B", 40, 30)],
    });
    expect(r.headline).toBe(
      "Not enough data yet: about 18 more samples needed per variant before comparing B with A on accuracy (at least 30 each).",
    );
  });

  it("flags a sample-ratio mismatch against the configured weights", () => {
    const r = analyseAb({
      metric: { name: "accuracy", type: "boolean", optimize: "max" },
      control: "A",
      variants: [bool("A", 5000, 3000, 50), bool("B", 4400, 2700, 50)],
    });
    expect(r.srm?.mismatch).toBe(true);
    expect(r.headline).toMatch(
      /^Sample ratio mismatch: traffic does not follow the configured weights \(p = .*\), so results may be biased\. /,
    );
    const ok = analyseAb({
      metric: { name: "accuracy", type: "boolean", optimize: "max" },
      control: "A",
      variants: [bool("A", 5000, 3000, 50), bool("B", 5050, 3030, 50)],
    });
    expect(ok.srm?.mismatch).toBe(false);
  });

  it("rejects a control with no data", () => {
    expect(() =>
      analyseAb({ metric: { name: "m", type: "float", optimize: "max" }, control: "Z", variants: [float("A", 50, 1, 1)] }),
    ).toThrow(/control variant "Z"/);
  });
});

describe("formatEffect", () => {
  it("writes a relative lift with its interval in percent, or the absolute difference when the control is zero", () => {
    expect(formatEffect(0.031, [0.012, 0.05], 1)).toBe("+3.1% [1.2, 5.0]");
    expect(formatEffect(-0.02, [-0.035, -0.006], 1)).toBe("−2.0% [-3.5, -0.6]");
    expect(formatEffect(0.25, [0.1, 0.4], 0)).toBe("+0.25 [0.1, 0.4]");
  });
});
