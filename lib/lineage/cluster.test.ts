import { describe, expect, it } from "vitest";
import { clusterGraph, groupId, kindName } from "./cluster";
import type { LineageGraphReply } from "./schemas";

const node = (id: string) => {
  const [kind = "run", key = id] = id.split(/:(.*)/s);
  return { id, kind: kind as LineageGraphReply["nodes"][number]["kind"], key, label: key };
};

/** A variant served 48 inferences; 3 of them were labelled into a queue; one prompt version feeds the variant. */
function variantGraph(): LineageGraphReply {
  const inferences = Array.from({ length: 48 }, (_, i) => `inference:i${i}`);
  const labels = ["label:a", "label:b", "label:c"];
  return {
    root: "variant:f/v",
    depth: 2,
    truncated: false,
    nodes: ["variant:f/v", "prompt_version:p/1", ...inferences, ...labels].map(node),
    edges: [
      { source: "prompt_version:p/1", target: "variant:f/v", relation: "serves" },
      ...inferences.map((id) => ({ source: "variant:f/v", target: id, relation: "produced" })),
      ...labels.map((id, i) => ({ source: id, target: `inference:i${i}`, relation: "labels" })),
    ],
  };
}

describe("grouping many nodes of one kind", () => {
  it('draws 48 inferences as one node "48 inferences", with one edge standing for 48', () => {
    const g = clusterGraph(variantGraph(), new Set());
    const group = groupId("inference", 1);
    const drawn = g.nodes.find((n) => n.id === group);
    expect(drawn?.label).toBe("48 inferences");
    expect(drawn?.members).toHaveLength(48);
    expect(g.nodes.map((n) => n.id).sort()).toEqual([group, "label:a", "label:b", "label:c", "prompt_version:p/1", "variant:f/v"].sort());
    expect(g.edges).toContainEqual({ source: "variant:f/v", target: group, relation: "produced", count: 48 });
    // Edges into a group keep their other end; nothing points at a hidden member.
    expect(g.edges.filter((e) => e.relation === "labels")).toEqual(
      ["label:a", "label:b", "label:c"].map((source) => ({ source, target: group, relation: "labels", count: 1 })),
    );
    const ids = new Set(g.nodes.map((n) => n.id));
    for (const e of g.edges) expect(ids.has(e.source) && ids.has(e.target)).toBe(true);
  });

  it("shows the members again once the group is expanded, and leaves small groups and the root alone", () => {
    const g = clusterGraph(variantGraph(), new Set([groupId("inference", 1)]));
    expect(g.nodes).toHaveLength(53);
    expect(g.edges).toHaveLength(52);
    expect(g.edges.every((e) => e.count === 1)).toBe(true);
    expect(g.groups.get(groupId("inference", 1))).toHaveLength(48);
    const many = variantGraph();
    many.root = "inference:i0";
    const fromInference = clusterGraph(many, new Set(), 8);
    expect(fromInference.nodes.some((n) => n.id === "inference:i0")).toBe(true);
    // The variant sits left of the root, so its other inferences share the root's column, without the root.
    expect(fromInference.groups.get(groupId("inference", 0))).toHaveLength(47);
  });

  it("names kinds in the singular and plural", () => {
    expect(kindName("inference", 48)).toBe("48 inferences");
    expect(kindName("queue", 1)).toBe("1 labelling queue");
    expect(kindName("model_version")).toBe("model version");
  });
});
