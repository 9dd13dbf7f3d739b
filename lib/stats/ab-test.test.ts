import { describe, expect, it } from "vitest";
import { analyseAb, type VariantInput } from "./ab-test";
import { optimalMixingVariance } from "./sequential";
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
    expect(r.headline).toMatch(
      /^B beats A on accuracy: \+6\.0 pp, 95% always-valid interval \[\+\d+\.\d pp, \+\d+\.\d pp\]; enough data\.$/,
    );
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
    expect(latency.headline).toMatch(
      /^B beats A on latency: −12\.5% \(difference, % of the control's mean\), 95% always-valid interval \[−\d+\.\d%, −\d+\.\d%\]/,
    );
    const score = analyseAb({
      metric: { name: "score", type: "float", optimize: "max" },
      control: "A",
      variants: [float("A", 500, 800, 100), float("B", 500, 700, 100)],
    });
    expect(score.headline).toMatch(/^B is worse than A on score: −12\.5% /);
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
      /^Not enough data yet: B vs A on accuracy is \+2\.0 pp, 95% always-valid interval \[.*\]; about [\d,]+ more samples per variant needed to detect a 5% difference; at today's traffic a difference that size would be called in about \d+ days\.$/,
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

describe("analyseAb with a planned design", () => {
  // Ten daily looks of 400 per variant and day, 60% against 63%.
  const daily = (rate: number, days: number) =>
    Array.from({ length: days }, (_, d): { kind: "boolean"; n: number; successes: number } => ({
      kind: "boolean",
      n: 400 * (d + 1),
      successes: Math.round(400 * (d + 1) * rate),
    }));
  const planned = (days: number, looks: number, rates: [number, number] = [0.6, 0.63]) => {
    const [a, b] = [daily(rates[0], days), daily(rates[1], days)];
    return analyseAb({
      metric: { name: "accuracy", type: "boolean", optimize: "max" },
      control: "A",
      design: { kind: "planned", looks },
      variants: [
        { name: "A", stats: a.at(-1)!, looks: a.slice(0, -1) },
        { name: "B", stats: b.at(-1)!, looks: b.slice(0, -1) },
      ],
    });
  };

  it("answers in the open design's shape, with the look, the boundary and the horizon's power", () => {
    const r = planned(10, 30);
    const c = r.variants[1]?.comparison;
    expect(r.design).toEqual({ kind: "planned", looks: 30 });
    expect(c?.sequential).toMatchObject({ design: "planned", look: 10, horizon: 30, pastHorizon: false, decided: false });
    expect(c?.sequential.path).toHaveLength(10);
    // The boundary falls as the looks go by; the interval is the repeated confidence interval.
    const bounds = c?.sequential.path.map((p) => p.boundary) ?? [];
    expect(bounds[0]).toBeGreaterThan(bounds.at(-1)!);
    expect(c?.verdict.text).toMatch(
      /^Not enough data yet: B vs A on accuracy is \+3\.0 pp, 95% repeated confidence interval \[.*\] at look 10 of 30; about [\d,]+ more samples/,
    );
    expect(c?.power.mdeHorizon).toBeLessThan(c?.power.mdeNow ?? 0);
    expect(c?.power.horizonPerVariant).toBe(12_000);
    expect(c?.power.decisionProbability).toBeGreaterThan(0.5);
    expect(c?.power.expectedDays).toBeGreaterThan(0);
  });

  it("calls the winner once a boundary is crossed, and says at which look", () => {
    const r = planned(20, 30, [0.6, 0.66]);
    expect(r.headline).toMatch(
      /^B beats A on accuracy: \+6\.0 pp, 95% repeated confidence interval \[.*\]; enough data \(boundary crossed at look \d+ of 30\)\.$/,
    );
  });

  it("stops testing at the horizon and says so", () => {
    const r = planned(12, 10, [0.6, 0.605]);
    const c = r.variants[1]?.comparison;
    expect(c?.sequential).toMatchObject({ look: 10, pastHorizon: true, decided: false });
    expect(c?.verdict.text).toMatch(
      /^No difference found by the planned horizon \(10 looks\): .* Looks after the horizon are not tested\.$/,
    );
    expect(c?.verdict.morePerVariant).toBeNull();
  });

  it("tunes the open design's mixing variance to a declared minimum effect", () => {
    const input = {
      metric: { name: "accuracy", type: "boolean" as const, optimize: "max" as const },
      control: "A",
      variants: [bool("A", 3000, 1800), bool("B", 3000, 1890)],
    };
    const tuned = analyseAb({ ...input, mde: { value: 0.05, relative: true } }).variants[1]?.comparison;
    expect(tuned?.sequential.tau2).toBeCloseTo(optimalMixingVariance(0.03), 15);
    expect(tuned?.power.effect).toBeCloseTo(0.03, 12);
    expect(tuned?.verdict.text).toMatch(/to detect the declared minimum effect \(5\.0%\)/);
    const absolute = analyseAb({ ...input, mde: { value: 0.02, relative: false } }).variants[1]?.comparison;
    expect(absolute?.sequential.tau2).toBeCloseTo(optimalMixingVariance(0.02), 15);
  });
});

describe("analyseAb with clustered observations", () => {
  it("widens intervals by the design effect and checks the sample ratio by episode", () => {
    // 2,000 inferences in 500 episodes per variant, all of an episode's turns alike.
    const clustered = (name: string, rate: number) => ({
      name,
      weight: 1,
      stats: {
        kind: "boolean" as const,
        n: 2000,
        successes: 2000 * rate,
        clusters: { count: 500, sumSq: 500 * rate * 16, crossSum: 500 * rate * 16, sizeSq: 500 * 16 },
      },
    });
    const r = analyseAb({
      metric: { name: "helpful", type: "boolean", optimize: "max" },
      control: "A",
      variants: [clustered("A", 0.5), clustered("B", 0.55)],
    });
    const [a, b] = r.variants;
    expect(a?.clusters).toBe(500);
    expect(a?.designEffect).toBeCloseTo(4 * (500 / 499), 6);
    const plain = analyseAb({
      metric: { name: "helpful", type: "boolean", optimize: "max" },
      control: "A",
      variants: [bool("A", 2000, 1000), bool("B", 2000, 1100)],
    });
    const width = (ci: [number, number] | null | undefined) => (ci ? ci[1] - ci[0] : 0);
    expect(width(b?.comparison?.diffCi) / width(plain.variants[1]?.comparison?.diffCi)).toBeCloseTo(2, 1);
    expect(r.srm?.expected).toEqual([500, 500]);
  });
});

describe("formatEffect", () => {
  it("names unit and interval kind: a share of the control's mean, or the absolute difference when the control is zero", () => {
    expect(formatEffect(0.031, [0.012, 0.05], 1)).toBe(
      "+3.1% (difference, % of the control's mean), 95% always-valid interval [+1.2%, +5.0%]",
    );
    expect(formatEffect(-0.02, [-0.035, -0.006], 1, "float", "planned")).toBe(
      "−2.0% (difference, % of the control's mean), 95% repeated confidence interval [−3.5%, −0.6%]",
    );
    expect(formatEffect(0.25, [0.1, 0.4], 0)).toBe("+0.25 (difference in the metric's units), 95% always-valid interval [+0.1, +0.4]");
  });

  it("writes rates in percentage points, clipped to what a rate difference can be", () => {
    // An always-valid interval at a handful of observations can run far past ±1 (issue 19: [−718.6, 668.6]).
    expect(formatEffect(-0.25, [-7.186, 6.686], 0.5, "boolean")).toBe("−25.0 pp, 95% always-valid interval [−100.0 pp, +100.0 pp]");
  });
});
