/**
 * Layered layout of a lineage graph for the dashboard, pure and deterministic. The root sits in
 * column 0; a node reached by following an edge forward is one column right of the node it was
 * reached from, backward one column left (breadth-first, first assignment wins). Within a column
 * nodes are ordered by kind, then by a few barycentre sweeps (the mean row of their neighbours)
 * to reduce crossings. A column taller than `maxRows` wraps into several sub-columns, so 200
 * runs of one experiment stay readable instead of one 5,000-pixel column.
 */
export interface LayoutNode {
  id: string;
  kind: string;
  label: string;
}

export interface LayoutEdge {
  source: string;
  target: string;
}

export interface PlacedNode {
  id: string;
  layer: number;
  x: number;
  y: number;
}

export interface Layout {
  nodes: Map<string, PlacedNode>;
  width: number;
  height: number;
}

export interface LayoutOptions {
  columnWidth: number;
  rowHeight: number;
  nodeWidth: number;
  nodeHeight: number;
  maxRows: number;
  sweeps: number;
}

export const DEFAULT_LAYOUT: LayoutOptions = { columnWidth: 260, rowHeight: 44, nodeWidth: 200, nodeHeight: 32, maxRows: 24, sweeps: 4 };

/** Column of every node connected to the root; nodes not connected get their own column at the right. */
export function assignLayers(nodes: readonly LayoutNode[], edges: readonly LayoutEdge[], root: string): Map<string, number> {
  const out = new Map<string, number>();
  const neighbours = new Map<string, { id: string; step: number }[]>();
  const link = (a: string, b: string, step: number) => neighbours.set(a, [...(neighbours.get(a) ?? []), { id: b, step }]);
  for (const e of edges) {
    link(e.source, e.target, 1);
    link(e.target, e.source, -1);
  }
  const start = nodes.some((n) => n.id === root) ? root : nodes[0]?.id;
  if (start === undefined) return out;
  out.set(start, 0);
  const queue = [start];
  while (queue.length) {
    const current = queue.shift() as string;
    const layer = out.get(current) ?? 0;
    for (const { id, step } of neighbours.get(current) ?? []) {
      if (out.has(id)) continue;
      out.set(id, layer + step);
      queue.push(id);
    }
  }
  const right = Math.max(0, ...out.values()) + 1;
  for (const n of nodes) if (!out.has(n.id)) out.set(n.id, right);
  return out;
}

export function layoutGraph(
  nodes: readonly LayoutNode[],
  edges: readonly LayoutEdge[],
  root: string,
  options: LayoutOptions = DEFAULT_LAYOUT,
): Layout {
  const layers = assignLayers(nodes, edges, root);
  const byLayer = new Map<number, LayoutNode[]>();
  for (const n of nodes) {
    const layer = layers.get(n.id) ?? 0;
    byLayer.set(layer, [...(byLayer.get(layer) ?? []), n]);
  }
  const order = [...byLayer.keys()].sort((a, b) => a - b);
  for (const layer of order)
    byLayer
      .get(layer)
      ?.sort((a, b) => (a.id === root ? -1 : b.id === root ? 1 : a.kind.localeCompare(b.kind) || a.label.localeCompare(b.label)));

  const neighbours = new Map<string, string[]>();
  for (const e of edges) {
    neighbours.set(e.source, [...(neighbours.get(e.source) ?? []), e.target]);
    neighbours.set(e.target, [...(neighbours.get(e.target) ?? []), e.source]);
  }
  const row = new Map<string, number>();
  const index = () => {
    for (const layer of order) byLayer.get(layer)?.forEach((n, i) => row.set(n.id, i / Math.max(1, (byLayer.get(layer)?.length ?? 1) - 1)));
  };
  index();
  for (let sweep = 0; sweep < options.sweeps; sweep++) {
    const sequence = sweep % 2 === 0 ? order : [...order].reverse();
    for (const layer of sequence) {
      const list = byLayer.get(layer) ?? [];
      const centre = (n: LayoutNode) => {
        const rows = (neighbours.get(n.id) ?? []).filter((m) => layers.get(m) !== layer).map((m) => row.get(m) ?? 0);
        return rows.length ? rows.reduce((s, r) => s + r, 0) / rows.length : (row.get(n.id) ?? 0);
      };
      const keyed = list.map((n, i) => ({ n, c: centre(n), i }));
      keyed.sort((a, b) => a.c - b.c || a.i - b.i);
      byLayer.set(
        layer,
        keyed.map((k) => k.n),
      );
      index();
    }
  }

  // Columns: each layer takes ceil(size / maxRows) sub-columns; rows are centred vertically.
  const placed = new Map<string, PlacedNode>();
  let column = 0;
  let tallest = 0;
  for (const layer of order) tallest = Math.max(tallest, Math.min(options.maxRows, byLayer.get(layer)?.length ?? 0));
  for (const layer of order) {
    const list = byLayer.get(layer) ?? [];
    const columns = Math.max(1, Math.ceil(list.length / options.maxRows));
    const perColumn = Math.ceil(list.length / columns);
    list.forEach((n, i) => {
      const sub = Math.floor(i / perColumn);
      const inColumn = Math.min(perColumn, list.length - sub * perColumn);
      const r = i % perColumn;
      const offset = ((tallest - inColumn) * options.rowHeight) / 2;
      placed.set(n.id, { id: n.id, layer, x: (column + sub) * options.columnWidth, y: offset + r * options.rowHeight });
    });
    column += columns;
  }
  return {
    nodes: placed,
    width: Math.max(0, column - 1) * options.columnWidth + options.nodeWidth,
    height: Math.max(1, tallest) * options.rowHeight,
  };
}

/** A smooth edge path from the right side of `a` to the left side of `b` (or back, when b is left of a). */
export function edgePath(a: PlacedNode, b: PlacedNode, options: LayoutOptions = DEFAULT_LAYOUT): string {
  const ay = a.y + options.nodeHeight / 2;
  const by = b.y + options.nodeHeight / 2;
  const forward = b.x >= a.x;
  const ax = forward ? a.x + options.nodeWidth : a.x;
  const bx = forward ? b.x : b.x + options.nodeWidth;
  const bend = Math.max(30, Math.abs(bx - ax) / 2) * (forward ? 1 : -1);
  if (a.x === b.x) {
    const x = a.x + options.nodeWidth;
    return `M${x},${ay} C${x + 40},${ay} ${x + 40},${by} ${x},${by}`;
  }
  return `M${ax},${ay} C${ax + bend},${ay} ${bx - bend},${by} ${bx},${by}`;
}

/** Pan and zoom: zooming keeps the point under the cursor still; scale stays within bounds. */
export interface View {
  scale: number;
  x: number;
  y: number;
}

export function zoomAt(view: View, factor: number, cx: number, cy: number, bounds: [number, number] = [0.1, 4]): View {
  const scale = Math.min(bounds[1], Math.max(bounds[0], view.scale * factor));
  const k = scale / view.scale;
  return { scale, x: cx - (cx - view.x) * k, y: cy - (cy - view.y) * k };
}

/** The view that fits the whole layout in a viewport of the given size, never zooming in past 1. */
export function fitView(layout: { width: number; height: number }, viewport: { width: number; height: number }, padding = 24): View {
  const scale = Math.min(
    1,
    (viewport.width - 2 * padding) / Math.max(1, layout.width),
    (viewport.height - 2 * padding) / Math.max(1, layout.height),
  );
  return { scale, x: (viewport.width - layout.width * scale) / 2, y: (viewport.height - layout.height * scale) / 2 };
}
