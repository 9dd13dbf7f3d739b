import { assignLayers } from "./layout";
import type { LineageGraphReply } from "./schemas";

/**
 * Groups of many nodes of one kind in one column of the layout (48 inferences of a variant, 120
 * labels of a queue) drawn as a single node, "48 inferences", that the reader can expand. Pure:
 * the dashboard passes the ids of the groups it has expanded. The root is never grouped.
 */

/** A column holding at least this many nodes of one kind becomes one group node. */
export const CLUSTER_MIN = 8;

type ReplyNode = LineageGraphReply["nodes"][number];

export interface ViewNode extends ReplyNode {
  /** For a group node: the ids of the nodes it stands for. */
  members?: string[];
}

export interface ViewEdge {
  source: string;
  target: string;
  relation: string;
  /** How many edges of the graph this one stands for (more than 1 when a group is at an end). */
  count: number;
}

export interface ClusteredGraph {
  nodes: ViewNode[];
  edges: ViewEdge[];
  /** Every group that could be shown collapsed, expanded or not, by id. */
  groups: Map<string, string[]>;
}

const KIND_NAMES: Record<string, [string, string]> = {
  experiment: ["experiment", "experiments"],
  run: ["run", "runs"],
  dataset: ["dataset", "datasets"],
  model_version: ["model version", "model versions"],
  logged_model: ["logged model", "logged models"],
  prompt_version: ["prompt version", "prompt versions"],
  function: ["function", "functions"],
  variant: ["variant", "variants"],
  inference: ["inference", "inferences"],
  queue: ["labelling queue", "labelling queues"],
  label: ["label", "labels"],
};

/** "inference", "48 inferences". */
export function kindName(kind: string, count?: number): string {
  const [one, many] = KIND_NAMES[kind] ?? [kind, `${kind}s`];
  return count === undefined ? one : `${count} ${count === 1 ? one : many}`;
}

export const groupId = (kind: string, layer: number) => `group:${kind}@${layer}`;
export const isGroup = (id: string) => id.startsWith("group:");

export function clusterGraph(graph: LineageGraphReply, expanded: ReadonlySet<string>, min = CLUSTER_MIN): ClusteredGraph {
  const layers = assignLayers(graph.nodes, graph.edges, graph.root);
  const groups = new Map<string, string[]>();
  for (const node of graph.nodes) {
    if (node.id === graph.root) continue;
    const id = groupId(node.kind, layers.get(node.id) ?? 0);
    groups.set(id, [...(groups.get(id) ?? []), node.id]);
  }
  for (const [id, members] of groups) if (members.length < min) groups.delete(id);

  const standIn = new Map<string, string>();
  for (const [id, members] of groups) if (!expanded.has(id)) for (const m of members) standIn.set(m, id);
  const at = (id: string) => standIn.get(id) ?? id;

  const nodes: ViewNode[] = [];
  const drawnGroups = new Set<string>();
  for (const node of graph.nodes) {
    const group = standIn.get(node.id);
    if (group === undefined) nodes.push(node);
    else if (!drawnGroups.has(group)) {
      drawnGroups.add(group);
      const members = groups.get(group) ?? [];
      nodes.push({ id: group, kind: node.kind, key: group, label: kindName(node.kind, members.length), members });
    }
  }
  const edges = new Map<string, ViewEdge>();
  for (const e of graph.edges) {
    const [source, target] = [at(e.source), at(e.target)];
    if (source === target) continue;
    const key = `${source}|${e.relation}|${target}`;
    const seen = edges.get(key);
    if (seen) seen.count += 1;
    else edges.set(key, { source, target, relation: e.relation, count: 1 });
  }
  return { nodes, edges: [...edges.values()], groups };
}
