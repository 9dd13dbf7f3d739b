// @vitest-environment jsdom
// The canvas is drawn in the browser (e2e/eng-dashboard.spec.ts checks its pixels); here, the
// figure the server renders around it: caption, legend in the run colours, text alternative.
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { seriesColor } from "@/lib/charts/series";

// uPlot watches the screen's pixel ratio from the moment it loads; jsdom has no media queries.
window.matchMedia ??= () => ({ addEventListener() {}, removeEventListener() {} }) as unknown as MediaQueryList;
const { HistoryChart } = await import("./history-chart");

const html = renderToStaticMarkup(
  <HistoryChart
    yLabel="loss"
    xLabel="Step"
    x={{ kind: "step" }}
    series={[
      {
        key: "r_a",
        label: "run A",
        color: seriesColor(0),
        points: [
          { x: 0, y: 1 },
          { x: 1000, y: 0.25 },
        ],
      },
      {
        key: "r_b",
        label: "run B",
        color: seriesColor(6),
        points: [
          { x: 0, y: 2 },
          { x: 1, y: null },
          { x: 2, y: 0.5 },
        ],
      },
      { key: "r_c", label: "run C", points: [{ x: 0, y: Number.NaN }] },
    ]}
  />,
);
const doc = new DOMParser().parseFromString(html, "text/html");

describe("HistoryChart", () => {
  it("is a figure named after the metric, with its axes named", () => {
    const figure = doc.querySelector("figure");
    expect(figure?.getAttribute("aria-label")).toBe("loss chart");
    expect(figure?.querySelector("figcaption")?.textContent).toBe("loss");
    expect(figure?.textContent).toContain("Step");
    // The canvas' host is hidden from screen readers: they read the list of values instead.
    expect(figure?.querySelector("div[aria-hidden]")).not.toBeNull();
  });

  it("names every run in the legend in the colour the run has everywhere else", () => {
    const items = [...doc.querySelectorAll('ul[aria-label="loss: runs"] li')];
    expect(items.map((li) => li.textContent)).toEqual(["run A", "run B", "run C"]);
    const swatches = items.map((li) => (li.querySelector("span") as HTMLElement | null)?.getAttribute("style"));
    expect(swatches[0]).toContain(seriesColor(0));
    expect(swatches[1]).toContain("oklch(var(--chart-l) var(--chart-c)");
    expect(swatches[2]).toContain(seriesColor(2));
  });

  it("tells screen readers each line's values, range and ends", () => {
    const items = [...doc.querySelectorAll('ul[aria-label="loss: values by run"] li')].map((li) => li.textContent);
    expect(items).toEqual([
      "run A: 2 values drawn, from 1 at step 0 to 0.25 at 1,000; lowest 0.25, highest 1.",
      "run B: 2 values drawn, from 2 at step 0 to 0.5 at 2; lowest 0.5, highest 2.",
      "run C: no finite values.",
    ]);
  });
});
