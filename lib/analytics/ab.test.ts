import { describe, expect, it } from "vitest";
import { analyseAb } from "@/lib/stats/ab-test";
import { abCsv, buildAbReport, csvField, cumulativeLooks, toStats, type DailyStats } from "./ab";
import type { MetricInfo } from "./schemas";

const D = 86_400_000;
const accuracy: MetricInfo = { name: "accuracy", type: "boolean", optimize: "max", level: "inference", declared: true };
const score: MetricInfo = { name: "score", type: "float", optimize: "max", level: "episode", declared: false };

/** Daily rows from raw observations, the way abDailyStats sums them. */
function daily(variant: string, perDay: number[][]): DailyStats[] {
  return perDay.map((values, d) => ({
    variant,
    day: d * D,
    n: values.length,
    sum: values.reduce((a, b) => a + b, 0),
    sumSq: values.reduce((a, b) => a + b * b, 0),
  }));
}

describe("toStats", () => {
  it("recovers the mean and unbiased variance from sums (checked against a two-pass computation)", () => {
    const xs = [2.5, 3, 7.25, 1, 4, 4];
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1);
    const s = toStats("float", { n: xs.length, sum: xs.reduce((a, b) => a + b, 0), sumSq: xs.reduce((a, b) => a + b * b, 0) });
    expect(s).toMatchObject({ kind: "float", n: 6 });
    if (s.kind !== "float") throw new Error("float expected");
    expect(s.mean).toBeCloseTo(mean, 12);
    expect(s.variance).toBeCloseTo(variance, 12);
  });
  it("never gives a negative variance for a constant sample, and reads booleans as successes", () => {
    const c = toStats("float", { n: 3, sum: 0.3, sumSq: 0.03 });
    expect(c.kind === "float" && c.variance).toBe(0);
    expect(toStats("boolean", { n: 10, sum: 7, sumSq: 7 })).toEqual({ kind: "boolean", n: 10, successes: 7 });
  });
});

describe("cumulativeLooks", () => {
  it("accumulates per day and carries totals over days a variant has no data", () => {
    const rows: DailyStats[] = [
      { variant: "A", day: 0, n: 2, sum: 1, sumSq: 1 },
      { variant: "B", day: D, n: 3, sum: 2, sumSq: 2 },
      { variant: "A", day: 2 * D, n: 1, sum: 1, sumSq: 1 },
    ];
    const { days, totals } = cumulativeLooks(rows, ["A", "B"]);
    expect(days).toEqual([0, D, 2 * D]);
    expect(totals.get("A")?.map((t) => t.n)).toEqual([2, 2, 3]);
    expect(totals.get("B")?.map((t) => t.n)).toEqual([0, 3, 3]);
  });
});

describe("buildAbReport", () => {
  const days = 10;
  const bools = (n: number, rate: number) => Array.from({ length: n }, (_, i) => (i < Math.round(n * rate) ? 1 : 0));
  const a = daily(
    "A",
    Array.from({ length: days }, () => bools(400, 0.6)),
  );
  const b = daily(
    "B",
    Array.from({ length: days }, () => bools(400, 0.66)),
  );

  it("gives the same answer as lib/stats on the totals, with one look per day", () => {
    const report = buildAbReport({
      functionName: "f",
      metric: accuracy,
      control: "A",
      from: 0,
      to: days * D,
      daily: [...a, ...b],
      variants: [
        { name: "A", weight: 1 },
        { name: "B", weight: 1 },
      ],
      traffic: new Map([
        ["A", 4000],
        ["B", 4000],
      ]),
    });
    const direct = analyseAb({
      metric: accuracy,
      control: "A",
      variants: [
        { name: "A", stats: { kind: "boolean", n: 4000, successes: 2400 } },
        { name: "B", stats: { kind: "boolean", n: 4000, successes: 2640 } },
      ],
    });
    expect(report.looks).toBe(days);
    const rb = report.variants[1];
    const db = direct.variants[1];
    expect(rb?.n).toBe(4000);
    expect(rb?.estimate).toBeCloseTo(0.66, 12);
    expect(rb?.pValue).toBeCloseTo(db?.comparison?.pValue ?? NaN, 12);
    expect(rb?.lift).toBeCloseTo(0.1, 12);
    expect(rb?.verdict).toBe("winner");
    expect(report.headline).toMatch(/^B beats A on accuracy: \+6\.0 pp, 95% always-valid interval \[/);
    // Daily looks can only make the always-valid p-value smaller or equal (running minimum).
    expect(rb?.sequentialPValue).toBeLessThanOrEqual(db?.comparison?.sequential.pValue ?? NaN);
    expect(report.srm?.mismatch).toBe(false);
    expect(report.history).toHaveLength(2 * days);
  });

  it("warns first when requests do not follow the weights", () => {
    const report = buildAbReport({
      functionName: "f",
      metric: accuracy,
      control: "A",
      from: 0,
      to: D,
      daily: [...a, ...b],
      variants: [
        { name: "A", weight: 50 },
        { name: "B", weight: 50 },
      ],
      traffic: new Map([
        ["A", 6000],
        ["B", 4000],
      ]),
    });
    expect(report.trafficSrm?.mismatch).toBe(true);
    expect(report.headline).toMatch(/^Sample ratio mismatch: requests do not follow the configured weights/);
  });

  it("checks ratios only over variants in the split (positive weight), so a weight-0 fallback is not a mismatch", () => {
    const report = buildAbReport({
      functionName: "f",
      metric: accuracy,
      control: "A",
      from: 0,
      to: D,
      daily: [...a, ...b, ...daily("Z", [bools(40, 0.5)])],
      variants: [
        { name: "A", weight: 1 },
        { name: "B", weight: 1 },
        { name: "Z", weight: 0 },
      ],
      traffic: new Map([
        ["A", 4000],
        ["B", 4000],
        ["Z", 40],
      ]),
    });
    expect(report.trafficSrm).toMatchObject({ mismatch: false, variants: ["A", "B"], observed: [4000, 4000] });
    expect(report.srm).toMatchObject({ mismatch: false, variants: ["A", "B"] });
    const skewed = buildAbReport({
      functionName: "f",
      metric: accuracy,
      control: "A",
      from: 0,
      to: D,
      daily: [...a, ...daily("B", [bools(3000, 0.6)])],
      variants: [
        { name: "A", weight: 1 },
        { name: "B", weight: 1 },
      ],
      traffic: new Map([
        ["A", 5000],
        ["B", 5000],
      ]),
    });
    expect(skewed.srm?.mismatch).toBe(true);
    // Episode-level metrics: variants are drawn per episode, so requests are not checked.
    const episodes = buildAbReport({
      functionName: "f",
      metric: { ...accuracy, level: "episode" },
      control: "A",
      from: 0,
      to: D,
      daily: [...a, ...b],
      variants: [
        { name: "A", weight: 1 },
        { name: "B", weight: 1 },
      ],
      traffic: new Map([
        ["A", 9000],
        ["B", 5000],
      ]),
      checkTraffic: false,
    });
    expect(episodes.trafficSrm).toBeNull();
    expect(episodes.srm?.mismatch).toBe(false);
    expect(skewed.headline).toMatch(/^Sample ratio mismatch: accuracy observations do not follow the configured weights/);
  });

  it("skips the ratio checks without weights, and reports variants without data as collecting", () => {
    const report = buildAbReport({
      functionName: "f",
      metric: score,
      control: "A",
      from: 0,
      to: D,
      daily: daily("A", [[1, 2, 3]]),
      variants: [
        { name: "A", weight: null },
        { name: "C", weight: null },
      ],
      traffic: new Map(),
    });
    expect(report.srm).toBeNull();
    expect(report.trafficSrm).toBeNull();
    expect(report.variants[1]).toMatchObject({ name: "C", n: 0, estimate: null, verdict: null });
    expect(report.headline).toMatch(/^Not enough data yet/);
  });
});

describe("CSV export", () => {
  it("quotes and defuses fields", () => {
    expect(csvField('say "hi", then go')).toBe('"say ""hi"", then go"');
    expect(csvField("=HYPERLINK(x)")).toBe("'=HYPERLINK(x)");
    expect(csvField(-0.25)).toBe("-0.25");
    expect(csvField(null)).toBe("");
    expect(csvField(Infinity)).toBe("");
  });
  it("writes one header and one row per variant with the context columns", () => {
    const report = buildAbReport({
      functionName: "sum,marize",
      metric: accuracy,
      control: "A",
      from: 0,
      to: D,
      daily: [...daily("A", [bools(50, 0.5)]), ...daily("B", [bools(50, 0.7)])],
      variants: [
        { name: "A", weight: null },
        { name: "B", weight: null },
      ],
      traffic: new Map(),
    });
    const lines = abCsv(report).trimEnd().split("\r\n");
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^function,metric,metric_type,optimize,level,control,from,to,name,isControl,weight,traffic,n,estimate,/);
    expect(lines[2]).toMatch(
      /^"sum,marize",accuracy,boolean,max,inference,A,1970-01-01T00:00:00.000Z,1970-01-02T00:00:00.000Z,B,false,,0,50,0.7,/,
    );
  });
});

function bools(n: number, rate: number) {
  return Array.from({ length: n }, (_, i) => (i < Math.round(n * rate) ? 1 : 0));
}
