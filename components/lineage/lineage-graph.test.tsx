// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { LineageGraphReply } from "@/lib/lineage/schemas";
import { LineageGraph } from "./lineage-graph";
import { rootState } from "./lineage-view";

const push = vi.fn();
vi.mock("next/navigation", () => ({ useRouter: () => ({ push }) }));
afterEach(cleanup);

type Kind = LineageGraphReply["nodes"][number]["kind"];
const node = (kind: Kind, key: string, extra: object = {}) => ({ id: `${kind}:${key}`, kind, key, label: key, ...extra });

function variantGraph(): LineageGraphReply {
  const inferences = Array.from({ length: 48 }, (_, i) => node("inference", `i${i}`));
  return {
    root: "variant:f/v",
    depth: 1,
    truncated: false,
    nodes: [node("variant", "f/v"), node("prompt_version", "p/1"), ...inferences],
    edges: [
      { source: "prompt_version:p/1", target: "variant:f/v", relation: "served_by" },
      ...inferences.map((n) => ({ source: "variant:f/v", target: n.id, relation: "produced" })),
    ],
  };
}

describe("the lineage graph", () => {
  it('draws 48 inferences as one group "48 inferences" that expands into each, and back', () => {
    const { container } = render(<LineageGraph graph={variantGraph()} />);
    const group = screen.getByRole("button", { name: "48 inferences: show them all" });
    expect(container.querySelectorAll('a[data-node^="inference:"]')).toHaveLength(0);
    // The one edge standing for 48 says so in its label.
    expect([...container.querySelectorAll(".lineage-edge-label")].map((l) => l.textContent)).toContain("produced ×48");
    fireEvent.keyDown(group, { key: "Enter" });
    expect(container.querySelectorAll('a[data-node^="inference:"]')).toHaveLength(48);
    expect(screen.queryByRole("button", { name: /48 inferences/ })).toBeNull();
    fireEvent.click(screen.getByRole("button", { name: "Group again" }));
    expect(screen.getByRole("button", { name: "48 inferences: show them all" })).toBeTruthy();
  });

  it("names the edges of a focused node only, so 48 labels never pile up", () => {
    const { container } = render(<LineageGraph graph={variantGraph()} />);
    fireEvent.click(screen.getByRole("button", { name: /48 inferences/ }));
    // 49 edges: more than are labelled at rest.
    expect(container.querySelectorAll(".lineage-edge-label")).toHaveLength(0);
    fireEvent.focus(container.querySelector('a[data-node="prompt_version:p/1"]') as Element);
    expect([...container.querySelectorAll(".lineage-edge-label")].map((l) => l.textContent)).toEqual(["served by"]);
  });
});

describe("an unknown root", () => {
  it("is not found when its kind says it does not exist and nothing links to it", () => {
    const lonely: LineageGraphReply = {
      root: "run:nope",
      depth: 2,
      truncated: false,
      nodes: [node("run", "nope", { missing: true })],
      edges: [],
    };
    expect(rootState(lonely)).toBe("not-found");
    const gone = variantGraph();
    gone.nodes[0] = { ...gone.nodes[0]!, missing: true };
    expect(rootState(gone)).toBe("gone");
    expect(rootState(variantGraph())).toBe("found");
  });
});
