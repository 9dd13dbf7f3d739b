import { describe, expect, it } from "vitest";
import { spanTree, timelineBar } from "./span-tree";

const s = (spanId: string, parentSpanId: string, offsetMs: number) => ({ spanId, parentSpanId, offsetMs });

describe("spanTree", () => {
  it("orders depth-first, children by start time, with depths", () => {
    const tree = spanTree([s("c2", "root", 50), s("root", "", 0), s("c1", "root", 10), s("g", "c1", 12)]);
    expect(tree.map((t) => [t.span.spanId, t.depth])).toEqual([
      ["root", 0],
      ["c1", 1],
      ["g", 2],
      ["c2", 1],
    ]);
  });

  it("shows orphans and cycles at the top level instead of dropping them", () => {
    const tree = spanTree([s("a", "missing", 5), s("x", "y", 1), s("y", "x", 2)]);
    expect(tree.map((t) => t.span.spanId).sort()).toEqual(["a", "x", "y"]);
  });
});

describe("timelineBar", () => {
  it("places a span in percent of the trace, never beyond it and never invisible", () => {
    expect(timelineBar(25, 50, 100)).toEqual({ left: 25, width: 50 });
    expect(timelineBar(90, 50, 100)).toEqual({ left: 90, width: 10 });
    expect(timelineBar(10, 0, 100).width).toBe(0.5);
    expect(timelineBar(0, 0, 0)).toEqual({ left: 0, width: 100 });
  });
});
