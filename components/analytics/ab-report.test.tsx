// @vitest-environment jsdom
import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { buildAbReport, type DailyStats } from "@/lib/analytics/ab";
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
    expect(screen.getByTestId("ab-verdict").textContent).toMatch(
      /^detailed beats concise on helpful, \+10\.0% \[\d+\.\d, \d+\.\d\], enough data\.$/,
    );
    const rows = screen.getByRole("table", { name: "A/B results for helpful against concise" }).querySelectorAll("tbody tr");
    expect(rows).toHaveLength(2);
    expect(rows[1]?.textContent).toContain("66.0% [");
    expect(rows[1]?.textContent).toContain("+6.0 pp [");
    expect(rows[1]?.textContent).toContain("winner");
    expect(screen.getByRole("region", { name: "Sample ratio checks" }).textContent).toMatch(
      /Requests vs configured weights: ok p = 1\.0000/,
    );
  });
});
