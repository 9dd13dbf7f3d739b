// @vitest-environment jsdom
import { render } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { MetricLineChart } from "./line-chart";

describe("MetricLineChart", () => {
  it("draws each series in its theme colour, broken only at its own gaps, once in the legend", async () => {
    const { container, findAllByText } = render(
      <MetricLineChart
        width={600}
        height={300}
        yLabel="Loss"
        x={{ kind: "step" }}
        series={[
          {
            key: "run-a",
            label: "run A",
            points: [
              { x: 0, y: 1 },
              { x: 1, y: 0.5 },
              { x: 2, y: 0.25 },
            ],
          },
          {
            key: "run-b",
            label: "run B",
            points: [
              { x: 0, y: 1.2 },
              { x: 1, y: null },
              { x: 2, y: 0.4 },
            ],
          },
        ]}
      />,
    );
    const lines = container.querySelectorAll("path.recharts-line-curve");
    // run B's gap at x = 1 splits it into two one-value stretches: no line joins them, a dot
    // in its colour marks each (both series are sparse, so run A has a dot at each value too).
    expect([...lines].map((l) => l.getAttribute("stroke"))).toEqual(["var(--chart-1)"]);
    const dots = [...container.querySelectorAll("circle.chart-dot")].map((d) => d.getAttribute("fill"));
    expect(dots.sort()).toEqual(["var(--chart-1)", "var(--chart-1)", "var(--chart-1)", "var(--chart-2)", "var(--chart-2)"]);
    expect(container.querySelectorAll(".recharts-legend-item")).toHaveLength(2);
    expect(await findAllByText("run A")).not.toHaveLength(0);
    expect(container.querySelector("figure")?.getAttribute("aria-label")).toBe("Loss chart");
  });

  it("draws a visible dot for a value alone in its bucket, and whole-number ticks for counts", () => {
    const { container } = render(
      <MetricLineChart
        width={600}
        height={300}
        yLabel="Requests"
        unit="count"
        includeZero
        x={{ kind: "step" }}
        series={[
          {
            key: "a",
            label: "a",
            points: [
              { x: 0, y: null },
              { x: 1, y: 2 },
              { x: 2, y: null },
            ],
          },
        ]}
      />,
    );
    const dots = container.querySelectorAll("circle.chart-dot");
    expect(dots).toHaveLength(1);
    expect(Number(dots[0]?.getAttribute("r"))).toBeGreaterThanOrEqual(3);
    const ticks = [...container.querySelectorAll("text.recharts-cartesian-axis-tick-value[orientation=left]")].map((t) => t.textContent);
    expect(ticks).toEqual(["0", "1", "2"]);
    expect(container.querySelector("figcaption")?.textContent).toBe("Requests (count)");
  });
});
