// @vitest-environment jsdom
import { cleanup, render } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { scatterData } from "@/lib/charts/scatter";
import { runColours } from "@/lib/charts/series";
import { RunScatter } from "./scatter-chart";

afterEach(cleanup);

describe("RunScatter", () => {
  it("labels each point with its run and colours it as the run's chip", () => {
    const rows = [
      { id: "a", label: "run a", cells: { "param:lr": 0.1, "metric:acc": 0.9 } },
      { id: "b", label: "run b", cells: { "param:lr": 0.3, "metric:acc": 0.5 } },
      { id: "c", label: "run c", cells: { "param:lr": 0.2 } },
    ];
    const data = scatterData(rows, { id: "param:lr", label: "lr" }, { id: "metric:acc", label: "acc" });
    const { container } = render(<RunScatter data={data} width={600} height={320} colours={runColours(["a", "b", "c"])} />);
    const labels = [...container.querySelectorAll(".recharts-label-list text")].map((t) => t.textContent);
    expect(labels).toEqual(["run a", "run b"]);
    const fills = [...container.querySelectorAll(".recharts-scatter-symbol path")].map((p) => p.getAttribute("fill"));
    expect(fills).toEqual(["var(--chart-1)", "var(--chart-2)"]);
    expect(container.textContent).toContain("1 run(s) without both values are not shown.");
  });

  it("keeps the points at the ends of the x axis half their label's width inside the chart", () => {
    const name = "a run with a rather long name";
    const rows = [
      { id: "a", label: name, cells: { "param:lr": 0.1, "metric:acc": 0.9 } },
      { id: "b", label: "b", cells: { "param:lr": 0.3, "metric:acc": 0.5 } },
    ];
    const data = scatterData(rows, { id: "param:lr", label: "lr" }, { id: "metric:acc", label: "acc" });
    const { container } = render(<RunScatter data={data} width={600} height={320} />);
    const xs = [...container.querySelectorAll(".recharts-label-list text")].map((t) => Number(t.getAttribute("x")));
    // Labels are centred on their points; 11 px type is about 6.6 px a character.
    const half = (name.length * 11 * 0.6) / 2;
    expect(xs).toHaveLength(2);
    expect(Math.min(...xs) - half).toBeGreaterThanOrEqual(72 + 8);
    expect(Math.max(...xs) + half).toBeLessThanOrEqual(600 - 24);
  });
});
