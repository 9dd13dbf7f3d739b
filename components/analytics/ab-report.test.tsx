// @vitest-environment jsdom
import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { buildAbReport, type DailyStats } from "@/lib/analytics/ab";
import { guardrailRows, withScorecard, type GuardrailTotals } from "@/lib/analytics/scorecard";
import { AbResults } from "./ab-report";

afterEach(cleanup);

const D = 86_400_000;
const day = (variant: string, d: number, n: number, successes: number): DailyStats => ({
  variant,
  day: d * D,
  n,
  sum: successes,
  sumSq: successes,
});

describe("AbResults", () => {
  it("leads with the verdict, then a row per variant and the ratio checks", () => {
    const daily = Array.from({ length: 10 }, (_, d) => [day("concise", d, 400, 240), day("detailed", d, 400, 264)]).flat();
    const report = buildAbReport({
      functionName: "summarize",
      metric: { name: "helpful", type: "boolean", optimize: "max", level: "inference", declared: true },
      control: "concise",
      from: 0,
      to: 10 * D,
      daily,
      variants: [
        { name: "concise", weight: 1 },
        { name: "detailed", weight: 1 },
      ],
      traffic: new Map([
        ["concise", 5000],
        ["detailed", 5000],
      ]),
    });
    render(<AbResults report={report} />);
    const headline = screen.getByTestId("ab-verdict").textContent ?? "";
    expect(headline).toMatch(
      /^detailed beats concise on helpful: \+6\.0 pp, 95% always-valid interval \[\+\d+\.\d pp, \+\d+\.\d pp\]; enough data\.$/,
    );
    const rows = screen.getByRole("table", { name: "A/B results for helpful against concise" }).querySelectorAll("tbody tr");
    expect(rows).toHaveLength(2);
    expect(rows[1]?.textContent).toContain("66.0% [");
    // The table's effect is the headline's, interval and all, and its header names unit and kind.
    const effect = screen.getByTestId("ab-effect").textContent ?? "";
    expect(headline).toContain(effect.replace("+6.0 pp ", "+6.0 pp, 95% always-valid interval "));
    expect(screen.getByTestId("ab-effect-kind").textContent).toBe("difference in percentage points, 95% always-valid interval");
    expect(rows[1]?.textContent).toContain("winner");
    expect(screen.getByRole("region", { name: "Sample ratio checks" }).textContent).toMatch(
      /Requests vs configured weights: ok p = 1\.0000/,
    );
  });

  it("shows the planned design, its power and boundaries, the clustered variance and the adaptive weights", () => {
    // 12 days of 300 per variant and day in episodes of three inferences (clusters), 10% vs 11.5%.
    const episodeDay = (variant: string, d: number, successes: number): DailyStats => ({
      variant,
      day: d * D,
      n: 300,
      sum: successes,
      sumSq: successes,
      clusters: { count: 100, sumSq: successes * 3, crossSum: successes * 3, sizeSq: 900 },
    });
    const daily = Array.from({ length: 12 }, (_, d) => [episodeDay("A", d, 30), episodeDay("B", d, 35)]).flat();
    // The allocation kept an even split (episodes follow it, so the ratio check passes).
    const weights = Array.from({ length: 12 }, (_, d) => ({
      day: d * D,
      weights: new Map([
        ["A", 0.5],
        ["B", 0.5],
      ]),
    }));
    const report = buildAbReport({
      functionName: "reply",
      metric: { name: "helpful", type: "boolean", optimize: "max", level: "inference", declared: true },
      control: "A",
      from: 0,
      to: 12 * D,
      daily,
      variants: [
        { name: "A", weight: 1 },
        { name: "B", weight: 1 },
      ],
      traffic: new Map(),
      design: { design: { kind: "planned", looks: 30 }, start: null, configured: true },
      mde: { value: 0.15, relative: true },
      adaptive: { metric: "helpful", floor: 0.1, weights, dailyRequests: [] },
    });
    render(<AbResults report={report} />);
    expect(screen.getByTestId("ab-design").textContent).toBe(
      "planned design: 30 daily looks with O'Brien–Fleming alpha spending (look 12 of 30)",
    );
    expect(screen.getByTestId("ab-verdict").textContent).toMatch(
      /^Not enough data yet: B vs A on helpful is \+1\.7 pp, 95% repeated confidence interval \[.*\] at look 12 of 30; /,
    );
    const power = screen.getByRole("table", { name: "Power of each comparison with A" });
    const row = power.querySelectorAll("tbody tr")[0];
    // Detectable now, at the horizon, the declared effect (1.5 pp = 15% of 10%), samples now / at the horizon / needed.
    expect(row?.textContent).toContain("1.5 pp (15.0%)");
    expect(row?.textContent).toContain("3,600 / 9,000 / ");
    expect(row?.textContent).toMatch(/about \d+ days/);
    expect(screen.getByRole("region", { name: "Power and minimum detectable effect" }).textContent).toMatch(
      /episode-clustered \(cluster-robust\) variance; design effect A \d\.\d\d, B \d\.\d\d/,
    );
    expect(screen.getByRole("region", { name: "Statistic against the boundary" })).toBeTruthy();
    expect(screen.getByRole("region", { name: "Traffic weights over time" }).textContent).toMatch(/Adaptive allocation on helpful/);
    expect(screen.getByRole("region", { name: "Sample ratio checks" }).textContent).toMatch(/Episodes vs the allocation's weights/);
  });

  it("flags a winner that is worse on a guardrail, with each row's unit and interval kind", () => {
    const daily = Array.from({ length: 10 }, (_, d) => [day("cheap", d, 400, 240), day("pricey", d, 400, 264)]).flat();
    const base = buildAbReport({
      functionName: "summarize",
      metric: { name: "helpful", type: "boolean", optimize: "max", level: "inference", declared: true },
      control: "cheap",
      from: 0,
      to: 10 * D,
      daily,
      variants: [
        { name: "cheap", weight: 1 },
        { name: "pricey", weight: 1 },
      ],
      traffic: new Map(),
    });
    // 4,000 requests each; pricey costs 19 times as much, fails as often and is as fast at the median.
    const totals: GuardrailTotals[] = [
      { variant: "cheap", requests: 4000, errors: 40, costSum: 4, costSumSq: 4000 * 0.001 ** 2 + 0.001, latency: [[300, 4000]] },
      {
        variant: "pricey",
        requests: 4000,
        errors: 40,
        costSum: 76,
        costSumSq: 4000 * 0.019 ** 2 + 0.01,
        latency: [
          [300, 3000],
          [309, 1000],
        ],
      },
    ];
    const report = withScorecard(base, [], guardrailRows(totals, ["cheap", "pricey"], "cheap"));
    render(<AbResults report={report} />);
    expect(screen.getByTestId("ab-verdict").textContent).toMatch(/But pricey is worse on cost per request \(\+1,800%\)\.$/);
    expect(screen.getByTestId("scorecard-warning").textContent).toBe("⚠ pricey wins on helpful but is worse on cost per request.");
    const table = screen.getByRole("table", { name: "Scorecard of summarize against cheap" });
    const row = (key: string) => table.querySelector(`tr[data-row="${key}"]`);
    expect(row("cost")?.textContent).toContain("relative lift, 95% always-valid interval");
    expect(row("cost")?.textContent).toContain("⚠ winner is worse");
    expect(row("latency_p50")?.textContent).toContain("no clear difference");
    expect(row("error_rate")?.textContent).toContain("no clear difference");
    expect(row("error_rate")?.textContent).toContain("difference in percentage points");
    expect(table.querySelectorAll("tr[data-group=guardrail]")).toHaveLength(4);
  });
});
