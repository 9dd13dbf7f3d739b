"use client";

import { useRouter } from "next/navigation";
import { useEffect, useMemo, useRef, useState, type KeyboardEvent, type PointerEvent } from "react";
import { Button } from "@/components/ui/button";
import { clusterGraph, isGroup, kindName } from "@/lib/lineage/cluster";
import { placeEdgeLabels, type LabelRequest } from "@/lib/lineage/edge-labels";
import { DEFAULT_LAYOUT, edgePath, fitView, layoutGraph, zoomAt, type View } from "@/lib/lineage/layout";
import type { LineageGraphReply } from "@/lib/lineage/schemas";
import { GroupNode, KIND_COLOURS, NodeLink, lineageHref } from "./lineage-nodes";

export { KIND_COLOURS, lineageHref };

/** With no node hovered, every edge is labelled while there are at most this many (space permitting). */
const LABEL_ALL_UP_TO = 40;

const edgeKey = (e: { source: string; relation: string; target: string }) => `${e.source}>${e.relation}>${e.target}`;

/**
 * The lineage graph: many same-kind nodes grouped ("48 inferences", expandable; lib/lineage/cluster.ts),
 * a layered layout (lib/lineage/layout.ts) drawn as SVG, edge labels only where they fit
 * (lib/lineage/edge-labels.ts), with pan (drag, arrow keys), zoom (wheel, + and -) and fit.
 */
export function LineageGraph({ graph, height = 560 }: { graph: LineageGraphReply; height?: number }) {
  const router = useRouter();
  const box = useRef<HTMLDivElement>(null);
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const view = useMemo(() => clusterGraph(graph, expanded), [graph, expanded]);
  const layout = useMemo(() => layoutGraph(view.nodes, view.edges, graph.root), [view, graph.root]);
  const [pan, setPan] = useState<View>({ scale: 1, x: 24, y: 24 });
  const drag = useRef<{ x: number; y: number; view: View } | undefined>(undefined);
  const [hover, setHover] = useState<string | undefined>();
  // A new graph starts with its groups collapsed.
  const [seen, setSeen] = useState(graph);
  if (seen !== graph) {
    setSeen(graph);
    setExpanded(new Set());
  }

  // Whether the reader has panned or zoomed since the graph was last fitted to its box.
  const moved = useRef(false);
  const moveView = (next: View | ((view: View) => View)) => {
    moved.current = true;
    setPan(next);
  };
  const fit = () => {
    const el = box.current;
    if (!el) return;
    moved.current = false;
    setPan(fitView(layout, { width: el.clientWidth, height: el.clientHeight }));
  };
  // Fit once per layout, after the container has its size, and again when the box changes size (a
  // window resized, a phone turned) unless the reader has moved the view since.
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const refit = () => {
      moved.current = false;
      setPan(fitView(layout, { width: el.clientWidth, height: el.clientHeight }));
    };
    refit();
    if (typeof ResizeObserver === "undefined") return; // jsdom, in unit tests
    let size = { width: el.clientWidth, height: el.clientHeight };
    const observer = new ResizeObserver(() => {
      if (el.clientWidth === size.width && el.clientHeight === size.height) return;
      size = { width: el.clientWidth, height: el.clientHeight };
      if (!moved.current) refit();
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, [layout]);
  // Wheel zoom needs a non-passive listener to keep the page from scrolling.
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const onWheel = (event: WheelEvent) => {
      event.preventDefault();
      const rect = el.getBoundingClientRect();
      moveView((v) => zoomAt(v, Math.exp(-event.deltaY * 0.0015), event.clientX - rect.left, event.clientY - rect.top));
    };
    el.addEventListener("wheel", onWheel, { passive: false });
    return () => el.removeEventListener("wheel", onWheel);
  }, []);

  const { nodeWidth: W, nodeHeight: H } = DEFAULT_LAYOUT;
  const labels = useMemo(() => {
    const lit = (e: { source: string; target: string }) => hover !== undefined && (e.source === hover || e.target === hover);
    const wanted = hover !== undefined ? view.edges.filter(lit) : view.edges.length <= LABEL_ALL_UP_TO ? view.edges : [];
    const requests: LabelRequest[] = wanted.flatMap((e) => {
      const a = layout.nodes.get(e.source);
      const b = layout.nodes.get(e.target);
      if (!a || !b) return [];
      const text = `${e.relation.replaceAll("_", " ")}${e.count > 1 ? ` ×${e.count}` : ""}`;
      return [{ key: edgeKey(e), text, x: (a.x + b.x + W) / 2, y: (a.y + b.y + H) / 2 }];
    });
    const obstacles = [...layout.nodes.values()].map((p) => ({ x: p.x, y: p.y, width: W, height: H }));
    return placeEdgeLabels(requests, obstacles);
  }, [hover, view, layout, W, H]);

  const centre = () => ({ x: (box.current?.clientWidth ?? 800) / 2, y: (box.current?.clientHeight ?? height) / 2 });
  const onKeyDown = (event: KeyboardEvent) => {
    const step = 60;
    const moves: Record<string, () => void> = {
      "+": () => moveView((v) => zoomAt(v, 1.25, centre().x, centre().y)),
      "=": () => moveView((v) => zoomAt(v, 1.25, centre().x, centre().y)),
      "-": () => moveView((v) => zoomAt(v, 0.8, centre().x, centre().y)),
      "0": fit,
      ArrowLeft: () => moveView((v) => ({ ...v, x: v.x + step })),
      ArrowRight: () => moveView((v) => ({ ...v, x: v.x - step })),
      ArrowUp: () => moveView((v) => ({ ...v, y: v.y + step })),
      ArrowDown: () => moveView((v) => ({ ...v, y: v.y - step })),
    };
    const move = moves[event.key];
    if (!move) return;
    event.preventDefault();
    move();
  };
  const onPointerDown = (event: PointerEvent) => {
    if ((event.target as Element).closest("a, [role=button]")) return;
    drag.current = { x: event.clientX, y: event.clientY, view: pan };
    (event.currentTarget as HTMLElement).setPointerCapture(event.pointerId);
  };
  const onPointerMove = (event: PointerEvent) => {
    const start = drag.current;
    if (!start) return;
    moveView({ ...start.view, x: start.view.x + event.clientX - start.x, y: start.view.y + event.clientY - start.y });
  };
  const related = hover
    ? new Set(view.edges.filter((e) => e.source === hover || e.target === hover).flatMap((e) => [e.source, e.target]))
    : undefined;
  const collapsedGroups = view.nodes.filter((n) => n.members).length;

  return (
    <div>
      <div className="mb-2 flex flex-wrap items-center gap-2 text-sm">
        <Button size="sm" aria-label="Zoom in" onClick={() => moveView((v) => zoomAt(v, 1.25, centre().x, centre().y))}>
          +
        </Button>
        <Button size="sm" aria-label="Zoom out" onClick={() => moveView((v) => zoomAt(v, 0.8, centre().x, centre().y))}>
          −
        </Button>
        <Button size="sm" onClick={fit}>
          Fit
        </Button>
        {expanded.size > 0 ? (
          <Button size="sm" onClick={() => setExpanded(new Set())}>
            Group again
          </Button>
        ) : null}
        <span className="text-xs text-muted-foreground">
          Drag or use arrow keys to pan, wheel or +/− to zoom, 0 to fit. Click a node to open it
          {collapsedGroups > 0 ? ", a stacked group to show its members" : ""}; hover or focus one to name its edges.
        </span>
      </div>
      <div
        ref={box}
        tabIndex={0}
        role="group"
        aria-label={`Lineage graph of ${graph.nodes.find((n) => n.id === graph.root)?.label ?? graph.root}: ${graph.nodes.length} nodes, ${graph.edges.length} edges`}
        onKeyDown={onKeyDown}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={() => (drag.current = undefined)}
        className="relative cursor-grab touch-none overflow-hidden rounded-lg border border-border bg-card focus-visible:outline-2 focus-visible:outline-ring active:cursor-grabbing"
        style={{ height }}
      >
        <svg width="100%" height="100%" className="select-none">
          <defs>
            <marker id="lineage-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
              <path d="M0,0 L10,5 L0,10 z" fill="var(--muted-foreground)" />
            </marker>
          </defs>
          <g transform={`translate(${pan.x},${pan.y}) scale(${pan.scale})`}>
            {view.edges.map((e) => {
              const a = layout.nodes.get(e.source);
              const b = layout.nodes.get(e.target);
              if (!a || !b) return null;
              const lit = hover !== undefined && (e.source === hover || e.target === hover);
              return (
                <path
                  key={edgeKey(e)}
                  className="lineage-edge"
                  data-relation={e.relation}
                  d={edgePath(a, b)}
                  fill="none"
                  stroke={lit ? "var(--primary)" : "var(--muted-foreground)"}
                  strokeOpacity={hover && !lit ? 0.15 : 0.6}
                  strokeWidth={lit ? 2 : Math.min(4, 1.2 + Math.log2(e.count))}
                  markerEnd="url(#lineage-arrow)"
                >
                  <title>{`${e.source} ${e.relation} ${e.target}${e.count > 1 ? ` (${e.count} edges)` : ""}`}</title>
                </path>
              );
            })}
            {view.nodes.map((node) => {
              const p = layout.nodes.get(node.id);
              if (!p) return null;
              const common = { p, dim: Boolean(related && !related.has(node.id)), onHover: setHover };
              return isGroup(node.id) ? (
                <GroupNode key={node.id} node={node} {...common} onExpand={(id) => setExpanded((old) => new Set([...old, id]))} />
              ) : (
                <NodeLink key={node.id} node={node} root={node.id === graph.root} {...common} onOpen={(href) => router.push(href)} />
              );
            })}
            {/* Labels last, over the edges, each on a card-coloured box: placed so none overlaps another or a node. */}
            <g className="lineage-edge-labels" pointerEvents="none">
              {labels.map((l) => (
                <g key={l.key} className="lineage-edge-label">
                  <rect {...l.box} rx={3} fill="var(--card)" fillOpacity={0.92} />
                  <text x={l.x} y={l.y + 3.5} fontSize={10} textAnchor="middle" fill="var(--foreground)">
                    {l.text}
                  </text>
                </g>
              ))}
            </g>
          </g>
        </svg>
      </div>
      <ul aria-label="Node kinds" className="mt-2 flex flex-wrap gap-3 text-xs text-muted-foreground">
        {[...new Set(graph.nodes.map((n) => n.kind))].map((kind) => (
          <li key={kind} className="inline-flex items-center gap-1">
            <span aria-hidden className="inline-block h-2.5 w-2.5 rounded-sm" style={{ background: KIND_COLOURS[kind] }} />
            {kindName(kind, graph.nodes.filter((n) => n.kind === kind).length)}
          </li>
        ))}
      </ul>
    </div>
  );
}
