"use client";

import { useRouter } from "next/navigation";
import { useEffect, useMemo, useRef, useState, type KeyboardEvent, type PointerEvent } from "react";
import { Button } from "@/components/ui/button";
import { DEFAULT_LAYOUT, edgePath, fitView, layoutGraph, zoomAt, type View } from "@/lib/lineage/layout";
import type { LineageGraphReply } from "@/lib/lineage/schemas";

export const KIND_COLOURS: Record<string, string> = {
  experiment: "var(--chart-5)",
  run: "var(--chart-1)",
  dataset: "var(--chart-3)",
  model_version: "var(--chart-2)",
  logged_model: "var(--chart-1)",
  prompt_version: "var(--chart-4)",
  function: "var(--chart-5)",
  variant: "var(--chart-2)",
  inference: "var(--muted-foreground)",
  queue: "var(--chart-3)",
  label: "var(--chart-4)",
};

const KIND_LABEL: Record<string, string> = {
  experiment: "experiment",
  run: "run",
  dataset: "dataset",
  model_version: "model version",
  logged_model: "logged model",
  prompt_version: "prompt version",
  function: "function",
  variant: "variant",
  inference: "inference",
  queue: "queue",
  label: "label",
};

export const lineageHref = (node: string) => `/lineage?node=${encodeURIComponent(node)}`;

const truncate = (text: string, n: number) => (text.length > n ? `${text.slice(0, n - 1)}…` : text);

/**
 * The lineage graph: a layered layout (lib/lineage/layout.ts) drawn as SVG, with pan (drag, arrow
 * keys), zoom (wheel, + and -, buttons) and fit. Each node is a link: to its dashboard page when it
 * has one, else to the graph around it. It only renders what it is given.
 */
export function LineageGraph({ graph, height = 560 }: { graph: LineageGraphReply; height?: number }) {
  const router = useRouter();
  const box = useRef<HTMLDivElement>(null);
  const layout = useMemo(() => layoutGraph(graph.nodes, graph.edges, graph.root), [graph]);
  const [view, setView] = useState<View>({ scale: 1, x: 24, y: 24 });
  const drag = useRef<{ x: number; y: number; view: View } | undefined>(undefined);
  const [hover, setHover] = useState<string | undefined>();

  const fit = () => {
    const el = box.current;
    if (el) setView(fitView(layout, { width: el.clientWidth, height: el.clientHeight }));
  };
  // Fit once per graph, after the container has its size.
  useEffect(() => {
    const el = box.current;
    if (el) setView(fitView(layout, { width: el.clientWidth, height: el.clientHeight }));
  }, [layout]);
  // Wheel zoom needs a non-passive listener to keep the page from scrolling.
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const onWheel = (event: WheelEvent) => {
      event.preventDefault();
      const rect = el.getBoundingClientRect();
      setView((v) => zoomAt(v, Math.exp(-event.deltaY * 0.0015), event.clientX - rect.left, event.clientY - rect.top));
    };
    el.addEventListener("wheel", onWheel, { passive: false });
    return () => el.removeEventListener("wheel", onWheel);
  }, []);

  const centre = () => ({ x: (box.current?.clientWidth ?? 800) / 2, y: (box.current?.clientHeight ?? height) / 2 });
  const onKeyDown = (event: KeyboardEvent) => {
    const step = 60;
    const moves: Record<string, () => void> = {
      "+": () => setView((v) => zoomAt(v, 1.25, centre().x, centre().y)),
      "=": () => setView((v) => zoomAt(v, 1.25, centre().x, centre().y)),
      "-": () => setView((v) => zoomAt(v, 0.8, centre().x, centre().y)),
      "0": fit,
      ArrowLeft: () => setView((v) => ({ ...v, x: v.x + step })),
      ArrowRight: () => setView((v) => ({ ...v, x: v.x - step })),
      ArrowUp: () => setView((v) => ({ ...v, y: v.y + step })),
      ArrowDown: () => setView((v) => ({ ...v, y: v.y - step })),
    };
    const move = moves[event.key];
    if (!move || (event.target as HTMLElement).tagName === "a") return;
    event.preventDefault();
    move();
  };
  const onPointerDown = (event: PointerEvent) => {
    if ((event.target as Element).closest("a")) return;
    drag.current = { x: event.clientX, y: event.clientY, view };
    (event.currentTarget as HTMLElement).setPointerCapture(event.pointerId);
  };
  const onPointerMove = (event: PointerEvent) => {
    const start = drag.current;
    if (!start) return;
    setView({ ...start.view, x: start.view.x + event.clientX - start.x, y: start.view.y + event.clientY - start.y });
  };
  const { nodeWidth: W, nodeHeight: H } = DEFAULT_LAYOUT;
  const showRelations = graph.edges.length <= 12;
  const related = hover
    ? new Set(graph.edges.filter((e) => e.source === hover || e.target === hover).flatMap((e) => [e.source, e.target]))
    : undefined;

  return (
    <div>
      <div className="mb-2 flex flex-wrap items-center gap-2 text-sm">
        <Button size="sm" aria-label="Zoom in" onClick={() => setView((v) => zoomAt(v, 1.25, centre().x, centre().y))}>
          +
        </Button>
        <Button size="sm" aria-label="Zoom out" onClick={() => setView((v) => zoomAt(v, 0.8, centre().x, centre().y))}>
          −
        </Button>
        <Button size="sm" onClick={fit}>
          Fit
        </Button>
        <span className="text-xs text-muted-foreground">
          Drag or use arrow keys to pan, wheel or +/− to zoom, 0 to fit. Click a node to open it.
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
          <g transform={`translate(${view.x},${view.y}) scale(${view.scale})`}>
            {graph.edges.map((e) => {
              const a = layout.nodes.get(e.source);
              const b = layout.nodes.get(e.target);
              if (!a || !b) return null;
              const lit = hover !== undefined && (e.source === hover || e.target === hover);
              const d = edgePath(a, b);
              return (
                <g key={`${e.source}>${e.relation}>${e.target}`} className="lineage-edge" data-relation={e.relation}>
                  <path
                    d={d}
                    fill="none"
                    stroke={lit ? "var(--primary)" : "var(--muted-foreground)"}
                    strokeOpacity={hover && !lit ? 0.15 : 0.6}
                    strokeWidth={lit ? 2 : 1.2}
                    markerEnd="url(#lineage-arrow)"
                  >
                    <title>{`${e.source} ${e.relation} ${e.target}`}</title>
                  </path>
                  {showRelations || lit ? (
                    <text
                      x={(a.x + b.x + W) / 2}
                      y={(a.y + b.y + H) / 2 - 4}
                      fontSize={10}
                      textAnchor="middle"
                      fill="var(--muted-foreground)"
                    >
                      {e.relation.replaceAll("_", " ")}
                    </text>
                  ) : null}
                </g>
              );
            })}
            {graph.nodes.map((node) => {
              const p = layout.nodes.get(node.id);
              if (!p) return null;
              const href = node.href ?? lineageHref(node.id);
              const isRoot = node.id === graph.root;
              const dim = related && !related.has(node.id);
              return (
                <a
                  key={node.id}
                  href={href}
                  className="lineage-node"
                  data-node={node.id}
                  aria-label={`${KIND_LABEL[node.kind] ?? node.kind} ${node.label}${node.missing ? " (no longer exists)" : ""}`}
                  onClick={(event) => {
                    if (event.metaKey || event.ctrlKey || event.shiftKey) return;
                    event.preventDefault();
                    router.push(href);
                  }}
                  onMouseEnter={() => setHover(node.id)}
                  onMouseLeave={() => setHover(undefined)}
                  onFocus={() => setHover(node.id)}
                  onBlur={() => setHover(undefined)}
                  style={{ opacity: dim ? 0.35 : 1 }}
                >
                  <title>{`${node.id}${node.missing ? " (missing)" : ""}`}</title>
                  <rect
                    x={p.x}
                    y={p.y}
                    width={W}
                    height={H}
                    rx={6}
                    fill="var(--card)"
                    stroke={KIND_COLOURS[node.kind] ?? "var(--border)"}
                    strokeWidth={isRoot ? 3 : 1.5}
                    strokeDasharray={node.missing ? "4 3" : undefined}
                  />
                  <rect x={p.x} y={p.y} width={5} height={H} rx={2} fill={KIND_COLOURS[node.kind] ?? "var(--border)"} />
                  <text x={p.x + 12} y={p.y + 12} fontSize={9} fill="var(--muted-foreground)">
                    {KIND_LABEL[node.kind] ?? node.kind}
                  </text>
                  <text x={p.x + 12} y={p.y + 25} fontSize={12} fontWeight={isRoot ? 700 : 500} fill="var(--foreground)">
                    {truncate(node.label, 28)}
                  </text>
                </a>
              );
            })}
          </g>
        </svg>
      </div>
      <ul aria-label="Node kinds" className="mt-2 flex flex-wrap gap-3 text-xs text-muted-foreground">
        {[...new Set(graph.nodes.map((n) => n.kind))].map((kind) => (
          <li key={kind} className="inline-flex items-center gap-1">
            <span aria-hidden className="inline-block h-2.5 w-2.5 rounded-sm" style={{ background: KIND_COLOURS[kind] }} />
            {KIND_LABEL[kind] ?? kind} ({graph.nodes.filter((n) => n.kind === kind).length})
          </li>
        ))}
      </ul>
    </div>
  );
}
