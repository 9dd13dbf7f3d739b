import { describe, expect, it } from "vitest";
import { DEFAULT_LAYOUT, assignLayers, edgePath, fitView, layoutGraph, zoomAt } from "./layout";

const n = (id: string, kind = id.split(":")[0] ?? "x") => ({ id, kind, label: id });

describe("assignLayers", () => {
  it("puts the root at 0, edge targets right and sources left, isolated nodes at the far right", () => {
    const nodes = [n("run:r"), n("dataset:d"), n("prompt_version:p/1"), n("experiment:1"), n("run:child"), n("label:x")];
    const edges = [
      { source: "run:r", target: "dataset:d" },
      { source: "prompt_version:p/1", target: "run:r" },
      { source: "run:r", target: "experiment:1" },
      { source: "run:r", target: "run:child" },
    ];
    expect(Object.fromEntries(assignLayers(nodes, edges, "run:r"))).toEqual({
      "run:r": 0,
      "dataset:d": 1,
      "prompt_version:p/1": -1,
      "experiment:1": 1,
      "run:child": 1,
      "label:x": 2,
    });
  });
});

describe("layoutGraph", () => {
  it("places columns left to right by layer with no two nodes on one spot", () => {
    const nodes = [n("run:r"), n("dataset:d"), n("prompt_version:p/1")];
    const layout = layoutGraph(
      nodes,
      [
        { source: "run:r", target: "dataset:d" },
        { source: "prompt_version:p/1", target: "run:r" },
      ],
      "run:r",
    );
    const x = (id: string) => layout.nodes.get(id)?.x ?? NaN;
    expect(x("prompt_version:p/1")).toBeLessThan(x("run:r"));
    expect(x("run:r")).toBeLessThan(x("dataset:d"));
    expect(layout.width).toBe(2 * DEFAULT_LAYOUT.columnWidth + DEFAULT_LAYOUT.nodeWidth);
  });

  it("wraps a layer of 200 nodes into sub-columns of at most maxRows", () => {
    const runs = Array.from({ length: 200 }, (_, i) => n(`run:${String(i).padStart(3, "0")}`));
    const nodes = [n("experiment:1"), ...runs];
    const edges = runs.map((r) => ({ source: r.id, target: "experiment:1" }));
    const layout = layoutGraph(nodes, edges, "experiment:1");
    const spots = new Set([...layout.nodes.values()].map((p) => `${p.x},${p.y}`));
    expect(spots.size).toBe(201);
    const columns = new Set(runs.map((r) => layout.nodes.get(r.id)?.x));
    expect(columns.size).toBe(Math.ceil(200 / DEFAULT_LAYOUT.maxRows));
    expect(layout.height).toBe(DEFAULT_LAYOUT.maxRows * DEFAULT_LAYOUT.rowHeight);
  });

  it("orders a column by its neighbours to avoid crossings", () => {
    // a1→b2 and a2→b1 cross unless the b column follows the a column's order.
    const nodes = [n("x:root"), n("a:1"), n("a:2"), n("b:1"), n("b:2")];
    const edges = [
      { source: "x:root", target: "a:1" },
      { source: "x:root", target: "a:2" },
      { source: "a:1", target: "b:2" },
      { source: "a:2", target: "b:1" },
    ];
    const layout = layoutGraph(nodes, edges, "x:root");
    const y = (id: string) => layout.nodes.get(id)?.y ?? NaN;
    expect(Math.sign(y("a:1") - y("a:2"))).toBe(Math.sign(y("b:2") - y("b:1")));
  });
});

describe("view helpers", () => {
  it("draws edges between facing sides, zooms about the cursor and fits the graph", () => {
    expect(edgePath({ id: "a", layer: 0, x: 0, y: 0 }, { id: "b", layer: 1, x: 260, y: 44 })).toBe("M200,16 C230,16 230,60 260,60");
    const zoomed = zoomAt({ scale: 1, x: 0, y: 0 }, 2, 100, 50);
    expect(zoomed).toEqual({ scale: 2, x: -100, y: -50 });
    expect(zoomAt({ scale: 4, x: 0, y: 0 }, 2, 0, 0).scale).toBe(4);
    const fit = fitView({ width: 2000, height: 500 }, { width: 1048, height: 600 });
    expect(fit.scale).toBeCloseTo(0.5);
    expect(fitView({ width: 100, height: 100 }, { width: 1000, height: 600 }).scale).toBe(1);
  });
});
