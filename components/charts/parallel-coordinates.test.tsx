// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { parallelCoordinates } from "@/lib/charts/parallel";
import { runColours } from "@/lib/charts/series";
import { ParallelCoordinates } from "./parallel-coordinates";

afterEach(cleanup);

describe("ParallelCoordinates", () => {
  it("draws one axis per column and one line per run, highlighting a run from the legend", () => {
    const data = parallelCoordinates({
      rows: [
        { id: "a", label: "run a", cells: { "param:lr": "0.1", "metric:acc": 0.9 } },
        { id: "b", label: "run b", cells: { "param:lr": "0.3", "metric:acc": 0.5 } },
      ],
      columns: [
        { id: "param:lr", label: "lr" },
        { id: "metric:acc", label: "acc" },
      ],
    });
    const { container } = render(<ParallelCoordinates axes={data.axes} lines={data.lines} label="Params vs acc" />);
    expect(container.querySelectorAll("polyline.parallel-line")).toHaveLength(2);
    expect(screen.getByText("lr")).toBeTruthy();
    expect(screen.getByText("acc")).toBeTruthy();
    fireEvent.mouseEnter(screen.getByRole("button", { name: "run b" }));
    const widths = [...container.querySelectorAll("polyline.parallel-line")].map((l) => [
      l.getAttribute("data-run"),
      l.getAttribute("stroke-width"),
    ]);
    expect(widths).toEqual([
      ["a", "1.5"],
      ["b", "3"],
    ]);
  });

  it("colours each run as its chip, whatever its metric value", () => {
    const data = parallelCoordinates({
      rows: [
        { id: "a", label: "run a", cells: { "param:lr": "0.1", "metric:acc": 0.9 } },
        { id: "b", label: "run b", cells: { "param:lr": "0.3", "metric:acc": 0.5 } },
      ],
      columns: [
        { id: "param:lr", label: "lr" },
        { id: "metric:acc", label: "acc" },
      ],
    });
    const colours = runColours(["a", "b"]);
    const { container } = render(<ParallelCoordinates axes={data.axes} lines={data.lines} label="Params vs acc" colours={colours} />);
    const strokes = [...container.querySelectorAll<SVGElement>("polyline.parallel-line")].map((l) => [l.dataset.run, l.style.stroke]);
    expect(strokes).toEqual([
      ["a", "var(--chart-1)"],
      ["b", "var(--chart-2)"],
    ]);
  });
});
