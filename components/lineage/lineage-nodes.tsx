"use client";

import type { KeyboardEvent, MouseEvent } from "react";
import { kindName } from "@/lib/lineage/cluster";
import type { ViewNode } from "@/lib/lineage/cluster";
import { DEFAULT_LAYOUT, type PlacedNode } from "@/lib/lineage/layout";

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

export const lineageHref = (node: string) => `/lineage?node=${encodeURIComponent(node)}`;

const truncate = (text: string, n: number) => (text.length > n ? `${text.slice(0, n - 1)}…` : text);
// The frame turns to the focus ring colour when the node has keyboard focus.
const FOCUS = "group-focus-visible:[stroke:var(--ring)] group-focus-visible:[stroke-width:3]";

interface Common {
  p: PlacedNode;
  dim: boolean;
  onHover: (id: string | undefined) => void;
}

function Body({ node, p, root }: { node: ViewNode; p: PlacedNode; root: boolean }) {
  const { nodeWidth: W, nodeHeight: H } = DEFAULT_LAYOUT;
  const colour = KIND_COLOURS[node.kind] ?? "var(--border)";
  return (
    <>
      <rect
        x={p.x}
        y={p.y}
        width={W}
        height={H}
        rx={6}
        fill="var(--card)"
        stroke={colour}
        strokeWidth={root ? 3 : 1.5}
        strokeDasharray={node.missing ? "4 3" : undefined}
        className={FOCUS}
      />
      <rect x={p.x} y={p.y} width={5} height={H} rx={2} fill={colour} />
      <text x={p.x + 12} y={p.y + 12} fontSize={9} fill="var(--muted-foreground)">
        {node.members ? `group of ${kindName(node.kind, 2).replace(/^2 /, "")}` : kindName(node.kind)}
      </text>
      <text x={p.x + 12} y={p.y + 25} fontSize={12} fontWeight={root ? 700 : 500} fill="var(--foreground)">
        {truncate(node.label, 28)}
        {node.members ? " ▸" : ""}
      </text>
    </>
  );
}

/** A node: a link to its page (or to the graph around it). */
export function NodeLink({ node, root, onOpen, ...c }: Common & { node: ViewNode; root: boolean; onOpen: (href: string) => void }) {
  const href = node.href ?? lineageHref(node.id);
  return (
    <a
      href={href}
      className="lineage-node group outline-none"
      data-node={node.id}
      aria-label={`${kindName(node.kind)} ${node.label}${node.missing ? " (no longer exists)" : ""}`}
      onClick={(event: MouseEvent) => {
        if (event.metaKey || event.ctrlKey || event.shiftKey) return;
        event.preventDefault();
        onOpen(href);
      }}
      onMouseEnter={() => c.onHover(node.id)}
      onMouseLeave={() => c.onHover(undefined)}
      onFocus={() => c.onHover(node.id)}
      onBlur={() => c.onHover(undefined)}
      style={{ opacity: c.dim ? 0.35 : 1 }}
    >
      <title>{`${node.id}${node.missing ? " (missing)" : ""}`}</title>
      <Body node={node} p={c.p} root={root} />
    </a>
  );
}

/** A group of many same-kind nodes ("48 inferences"): a button that shows its members. */
export function GroupNode({ node, onExpand, ...c }: Common & { node: ViewNode; onExpand: (id: string) => void }) {
  const { nodeWidth: W, nodeHeight: H } = DEFAULT_LAYOUT;
  const onKey = (event: KeyboardEvent) => {
    if (event.key !== "Enter" && event.key !== " ") return;
    event.preventDefault();
    event.stopPropagation();
    onExpand(node.id);
  };
  return (
    <g
      role="button"
      tabIndex={0}
      aria-expanded={false}
      aria-label={`${node.label}: show them all`}
      className="lineage-group group cursor-pointer outline-none"
      data-node={node.id}
      onClick={() => onExpand(node.id)}
      onKeyDown={onKey}
      onMouseEnter={() => c.onHover(node.id)}
      onMouseLeave={() => c.onHover(undefined)}
      onFocus={() => c.onHover(node.id)}
      onBlur={() => c.onHover(undefined)}
      style={{ opacity: c.dim ? 0.35 : 1 }}
    >
      <title>{`${node.label}: click to show each one`}</title>
      {/* Two offset frames behind the node read as a stack. */}
      <rect x={c.p.x + 6} y={c.p.y + 6} width={W} height={H} rx={6} fill="var(--card)" stroke="var(--border)" />
      <rect x={c.p.x + 3} y={c.p.y + 3} width={W} height={H} rx={6} fill="var(--card)" stroke="var(--border)" />
      <Body node={node} p={c.p} root={false} />
    </g>
  );
}
