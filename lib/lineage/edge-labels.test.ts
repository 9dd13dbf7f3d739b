import { describe, expect, it } from "vitest";
import { labelBox, overlaps, placeEdgeLabels, type LabelRequest } from "./edge-labels";

describe("edge labels", () => {
  it("never lets two labels, or a label and a node, overlap", () => {
    // 60 edges whose midpoints crowd into a small area, as in a fan-out of 60 runs.
    const requests: LabelRequest[] = Array.from({ length: 60 }, (_, i) => ({
      key: `e${i}`,
      text: i % 2 ? "logged input" : "registered as",
      x: 300 + (i % 3) * 7,
      y: 200 + i * 3,
    }));
    const nodes = [
      { x: 240, y: 150, width: 120, height: 32 },
      { x: 240, y: 260, width: 120, height: 32 },
    ];
    const placed = placeEdgeLabels(requests, nodes);
    expect(placed.length).toBeGreaterThan(3);
    expect(placed.length).toBeLessThan(60);
    for (const [i, a] of placed.entries()) {
      for (const n of nodes) expect(overlaps(a.box, n)).toBe(false);
      for (const b of placed.slice(i + 1)) expect(overlaps(a.box, b.box), `${a.key} and ${b.key}`).toBe(false);
    }
  });

  it("keeps a label at its edge's midpoint when there is room, and moves it off a node when there is not", () => {
    const [free] = placeEdgeLabels([{ key: "a", text: "produced", x: 100, y: 100 }], []);
    expect(free?.box).toEqual(labelBox("produced", 100, 100));
    const node = { x: 80, y: 95, width: 40, height: 10 };
    const [moved] = placeEdgeLabels([{ key: "a", text: "produced", x: 100, y: 100 }], [node]);
    expect(moved && overlaps(moved.box, node)).toBe(false);
    expect(moved?.y).not.toBe(100);
  });
});
