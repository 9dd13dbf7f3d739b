"use client";

import { useState } from "react";
import { axisTick } from "@/lib/charts/scatter";
import { lineSegments, type ParallelAxis, type ParallelLine } from "@/lib/charts/parallel";

const W = 900;
const H = 320;
const PAD = { top: 28, bottom: 36, left: 56, right: 56 };

function ticksOf(axis: ParallelAxis): { at: number; label: string }[] {
  if (axis.kind === "categorical") {
    const categories = axis.categories ?? [];
    const step = Math.max(1, Math.ceil(categories.length / 8));
    return categories.flatMap((c, i) =>
      i % step === 0 || i === categories.length - 1 ? [{ at: categories.length === 1 ? 0.5 : i / (categories.length - 1), label: c }] : [],
    );
  }
  const [lo, hi] = axis.domain ?? [0, 0];
  const format = axisTick(axis);
  return lo === hi ? [{ at: 0.5, label: format(lo) }] : [0, 0.5, 1].map((at) => ({ at, label: format(lo + (hi - lo) * at) }));
}

/**
 * Renders prepared parallel coordinates (lib/charts/parallel.ts) as SVG: one axis per column,
 * one line per run in the run's own colour (`colours`, the same as its chip and its lines in
 * every other chart), else by its position on the last axis. Hovering or focusing a run in the
 * legend highlights its line. It never fetches or reshapes data.
 */
export function ParallelCoordinates({
  axes,
  lines,
  label,
  colours,
}: {
  axes: ParallelAxis[];
  lines: ParallelLine[];
  label: string;
  colours?: Record<string, string>;
}) {
  const [active, setActive] = useState<string | undefined>();
  const x = (i: number) => PAD.left + (axes.length <= 1 ? 0 : (i * (W - PAD.left - PAD.right)) / (axes.length - 1));
  const y = (v: number) => PAD.top + (1 - v) * (H - PAD.top - PAD.bottom);
  const colour = (line: ParallelLine) =>
    colours?.[line.id] ??
    (line.colour === null
      ? "var(--muted-foreground)"
      : `color-mix(in oklch, var(--chart-2) ${Math.round(line.colour * 100)}%, var(--chart-4))`);
  return (
    <figure aria-label={label} className="w-full">
      <svg
        viewBox={`0 0 ${W} ${H}`}
        className="h-auto w-full"
        role="img"
        aria-label={`${label}: ${lines.length} runs over ${axes.map((a) => a.label).join(", ")}`}
      >
        {lines.map((line) =>
          lineSegments(line.values).map((segment, s) => (
            <polyline
              key={`${line.id}-${s}`}
              data-run={line.id}
              className="parallel-line"
              fill="none"
              style={{ stroke: colour(line) }}
              strokeWidth={active === line.id ? 3 : 1.5}
              strokeOpacity={active && active !== line.id ? 0.15 : 0.85}
              points={segment.map(([i, v]) => `${x(i)},${y(v)}`).join(" ")}
            >
              <title>{line.label}</title>
            </polyline>
          )),
        )}
        {axes.map((axis, i) => (
          <g key={axis.id}>
            <line x1={x(i)} x2={x(i)} y1={PAD.top} y2={H - PAD.bottom} stroke="var(--foreground)" strokeOpacity={0.5} />
            <text x={x(i)} y={H - 10} textAnchor="middle" fontSize={12} fill="var(--foreground)">
              {axis.label.length > 18 ? `${axis.label.slice(0, 17)}…` : axis.label}
            </text>
            {ticksOf(axis).map((t) => (
              <text key={t.label + t.at} x={x(i) + 4} y={y(t.at) + 4} fontSize={10} fill="var(--muted-foreground)">
                {t.label.length > 14 ? `${t.label.slice(0, 13)}…` : t.label}
              </text>
            ))}
          </g>
        ))}
      </svg>
      <figcaption className="mt-2 flex flex-wrap gap-1 text-xs">
        {lines.map((line) => (
          <button
            key={line.id}
            type="button"
            onMouseEnter={() => setActive(line.id)}
            onMouseLeave={() => setActive(undefined)}
            onFocus={() => setActive(line.id)}
            onBlur={() => setActive(undefined)}
            className="inline-flex items-center gap-1 rounded border border-border px-1.5 py-0.5 hover:bg-muted"
          >
            <span aria-hidden className="inline-block h-2 w-3 rounded-sm" style={{ background: colour(line) }} />
            {line.label}
          </button>
        ))}
      </figcaption>
    </figure>
  );
}
