import "server-only";
import { and, eq, inArray, or } from "drizzle-orm";
import { lineageEdges } from "@/db/schema";
import type { TrackingContext } from "@/lib/tracking/context";
import type { Edge } from "./edges.server";
import { NODE_KINDS, formatNode, type NodeKind, type NodeRef } from "./nodes";
import type { KindHandler } from "./types";

export interface LineageNode {
  /** `kind:id`, the address GET /api/lineage takes. */
  id: string;
  kind: NodeKind;
  key: string;
  label: string;
  /** The node's page in the dashboard, when its kind has one. */
  href?: string;
  /** True when the node's kind can tell, and the node no longer exists (an edge outlived it). */
  missing?: boolean;
}

export interface LineageEdge {
  source: string;
  target: string;
  relation: string;
}

export interface LineageGraph {
  root: string;
  depth: number;
  nodes: LineageNode[];
  edges: LineageEdge[];
  /** True when the node limit cut the walk short. */
  truncated: boolean;
}

function toRef(kind: string, id: string): NodeRef | undefined {
  const known = NODE_KINDS.find((k) => k === kind);
  return known ? { kind: known, id } : undefined;
}

function byKind(nodes: NodeRef[]): Map<NodeKind, string[]> {
  const groups = new Map<NodeKind, string[]>();
  for (const n of nodes) groups.set(n.kind, [...(groups.get(n.kind) ?? []), n.id]);
  return groups;
}

async function storedEdges(ctx: TrackingContext, frontier: NodeRef[], limit: number): Promise<Edge[]> {
  const conditions = [...byKind(frontier)].flatMap(([kind, ids]) => [
    and(eq(lineageEdges.srcKind, kind), inArray(lineageEdges.srcId, ids)),
    and(eq(lineageEdges.dstKind, kind), inArray(lineageEdges.dstId, ids)),
  ]);
  const rows = await ctx.db
    .select()
    .from(lineageEdges)
    .where(or(...conditions))
    .limit(limit);
  return rows.flatMap((r) => {
    const src = toRef(r.srcKind, r.srcId);
    const dst = toRef(r.dstKind, r.dstId);
    // An edge written by a newer writer with a kind this build does not know is skipped, not fatal.
    return src && dst ? [{ src, relation: r.relation, dst }] : [];
  });
}

async function derivedEdges(
  ctx: TrackingContext,
  frontier: NodeRef[],
  limit: number,
  handlers: Partial<Record<NodeKind, KindHandler>>,
): Promise<Edge[]> {
  const found = await Promise.all([...byKind(frontier)].map(([kind, ids]) => handlers[kind]?.expand?.(ctx, ids, limit) ?? []));
  return found.flat();
}

/**
 * The graph around one node: a breadth-first walk over stored and derived edges in both
 * directions, at most `depth` hops and `maxNodes` nodes (edges to nodes beyond the limit are left
 * out and `truncated` is set), then each node labelled by its kind's handler.
 */
export async function lineageGraph(
  ctx: TrackingContext,
  input: { root: NodeRef; depth: number; maxNodes: number },
  handlers: Partial<Record<NodeKind, KindHandler>>,
): Promise<LineageGraph> {
  const rootId = formatNode(input.root);
  const nodes = new Map<string, NodeRef>([[rootId, input.root]]);
  const edges = new Map<string, LineageEdge>();
  let frontier = [input.root];
  let truncated = false;
  for (let hop = 0; hop < input.depth && frontier.length > 0; hop++) {
    const budget = input.maxNodes * 4;
    const found = [...(await storedEdges(ctx, frontier, budget)), ...(await derivedEdges(ctx, frontier, budget, handlers))];
    const next: NodeRef[] = [];
    for (const edge of found) {
      const [source, target] = [formatNode(edge.src), formatNode(edge.dst)];
      for (const [id, ref] of [
        [source, edge.src],
        [target, edge.dst],
      ] as const) {
        if (nodes.has(id)) continue;
        if (nodes.size >= input.maxNodes) {
          truncated = true;
          continue;
        }
        nodes.set(id, ref);
        next.push(ref);
      }
      if (nodes.has(source) && nodes.has(target))
        edges.set(`${source}|${edge.relation}|${target}`, { source, target, relation: edge.relation });
    }
    frontier = next;
  }
  const labelled = await describe(ctx, [...nodes.values()], handlers);
  return { root: rootId, depth: input.depth, nodes: labelled, edges: [...edges.values()], truncated };
}

async function describe(ctx: TrackingContext, refs: NodeRef[], handlers: Partial<Record<NodeKind, KindHandler>>): Promise<LineageNode[]> {
  const descriptions = new Map(
    await Promise.all([...byKind(refs)].map(async ([kind, ids]) => [kind, await handlers[kind]?.describe?.(ctx, ids)] as const)),
  );
  return refs.map((ref) => {
    const known = descriptions.get(ref.kind);
    const found = known?.get(ref.id);
    return {
      id: formatNode(ref),
      kind: ref.kind,
      key: ref.id,
      label: found?.label ?? ref.id,
      ...(found?.href ? { href: found.href } : {}),
      ...(known && !found ? { missing: true } : {}),
    };
  });
}
