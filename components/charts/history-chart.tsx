"use client";

import { useEffect, useMemo, useRef } from "react";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { alignSeries, nearestPoint, summarise } from "@/lib/charts/aligned";
import { formatValue, type Unit } from "@/lib/charts/format";
import { seriesColor, yAxis, type Series } from "@/lib/charts/series";

export interface HistoryChartProps {
  series: Series[];
  /** The metric (the y axis' name), e.g. "loss". */
  yLabel: string;
  unit?: Unit;
  x: { kind: "step" } | { kind: "time"; format: (ms: number) => string };
  /** The x axis' name, shown under the chart ("Step", "Time since start"…). */
  xLabel: string;
  logScale?: boolean;
  height?: number;
}

const FONT_PX = 12;

/**
 * CSS colours (`var(--chart-1)`, `oklch(var(--chart-l) …)`) as the canvas can use them: a canvas
 * cannot read CSS variables, so each is resolved through a probe element (one style pass for all).
 */
function resolveColours(host: HTMLElement, colours: readonly string[]): string[] {
  const probes = colours.map((c) => {
    const probe = document.createElement("span");
    probe.style.color = c;
    host.appendChild(probe);
    return probe;
  });
  const resolved = probes.map((p, i) => getComputedStyle(p).color || colours[i]!);
  for (const p of probes) p.remove();
  return resolved;
}

/**
 * A dense line chart on canvas (uPlot): the metric histories of up to 10 runs × hundreds of points
 * per chart, drawn in milliseconds where an SVG chart spent most of a second of main thread.
 * The figure around it (caption, legend, a text summary of each line) is ordinary DOM.
 */
export function HistoryChart({ series, yLabel, unit = "none", x, xLabel, logScale = false, height = 260 }: HistoryChartProps) {
  const figureRef = useRef<HTMLElement>(null);
  const plotRef = useRef<HTMLDivElement>(null);
  const tipRef = useRef<HTMLDivElement>(null);
  const aligned = useMemo(() => alignSeries(series), [series]);
  const summary = useMemo(() => summarise(series), [series]);
  const colours = series.map((s, i) => s.color ?? seriesColor(i));
  const coloursKey = colours.join("|");
  const format = x.kind === "time" ? x.format : undefined;

  useEffect(() => {
    if (!plotRef.current || !figureRef.current) return;
    const host: HTMLDivElement = plotRef.current;
    const figure: HTMLElement = figureRef.current;
    const formatX = format ?? ((v: number) => String(v));
    const counts = unit === "count" || unit === "tokens";
    const axis = logScale ? undefined : yAxis(series, { integer: counts });
    const drawnLines = aligned.own.filter((points) => points.length > 0).length;
    const tip = tipRef.current;
    let plot = draw();
    const resize = new ResizeObserver(() => {
      if (host.clientWidth > 0 && host.clientWidth !== plot.width) plot.setSize({ width: host.clientWidth, height });
    });
    resize.observe(host);
    // Dark mode toggles a class on <html>: the canvas is drawn again in the theme's colours.
    const theme = new MutationObserver(() => {
      plot.destroy();
      plot = draw();
    });
    theme.observe(document.documentElement, { attributes: true, attributeFilter: ["class"] });
    return () => {
      theme.disconnect();
      resize.disconnect();
      plot.destroy();
      figure.removeAttribute("data-lines-drawn");
      if (tip) tip.hidden = true;
    };

    function draw(): uPlot {
      const [axisColour = "gray", gridColour = "lightgray", ...lineColours] = resolveColours(host, [
        "var(--muted-foreground)",
        "var(--border)",
        ...coloursKey.split("|"),
      ]);
      const family = getComputedStyle(host).fontFamily || "sans-serif";
      const font = `${FONT_PX}px ${family}`;
      const measure = document.createElement("canvas").getContext("2d");
      if (measure) measure.font = font;

      const showTip = (u: uPlot) => {
        const left = u.cursor.left ?? -1;
        if (!tip) return;
        if (left < 0) {
          tip.hidden = true;
          return;
        }
        const at = u.posToVal(left, "x");
        const rows = aligned.own.map((points, i) => ({ i, point: nearestPoint(points, at) }));
        const heading = document.createElement("div");
        heading.className = "font-medium";
        heading.textContent = `${xLabel} ${formatX(x.kind === "step" ? Math.round(at) : at)}`;
        const items = rows
          .filter((r) => r.point)
          .map(({ i, point }) => {
            const row = document.createElement("div");
            row.className = "flex items-center gap-1.5";
            const swatch = document.createElement("span");
            swatch.className = "inline-block h-2 w-2 shrink-0 rounded-full";
            swatch.style.background = lineColours[i] ?? "";
            const text = document.createElement("span");
            text.textContent = `${series[i]?.label ?? ""}: ${formatValue(point!.y, unit)}`;
            row.append(swatch, text);
            return row;
          });
        tip.replaceChildren(heading, ...items);
        tip.hidden = false;
        const over = u.over.getBoundingClientRect();
        const box = host.getBoundingClientRect();
        const width = tip.offsetWidth;
        const cursorX = over.left - box.left + left;
        tip.style.left = `${cursorX + 12 + width > box.width ? Math.max(0, cursorX - 12 - width) : cursorX + 12}px`;
        tip.style.top = `${over.top - box.top + 4}px`;
      };

      const options: uPlot.Options = {
        width: host.clientWidth || 600,
        height,
        legend: { show: false },
        cursor: { y: false, points: { show: false }, drag: { x: true, y: false } },
        scales: {
          x: { time: false },
          y: logScale ? { distr: 3 } : { range: () => (axis ? axis.domain : [0, 1]) },
        },
        axes: [
          {
            stroke: axisColour,
            font,
            grid: { stroke: gridColour, width: 1, dash: [3, 3] },
            ticks: { stroke: gridColour, width: 1 },
            space: 90,
            values: (_u, splits) => splits.map((v) => formatX(v)),
          },
          {
            stroke: axisColour,
            font,
            grid: { stroke: gridColour, width: 1, dash: [3, 3] },
            ticks: { stroke: gridColour, width: 1 },
            ...(axis ? { splits: () => axis.ticks } : {}),
            values: (_u, splits) => splits.map((v) => formatValue(v, unit)),
            size: (_u, values) => Math.ceil(Math.max(24, ...(values ?? []).map((v) => measure?.measureText(v).width ?? 40))) + 16,
          },
        ],
        series: [
          {},
          ...series.map((s, i) => ({
            label: s.label,
            stroke: lineColours[i],
            width: 2,
            // A value alone between gaps draws no line: a dot shows it (sparse series get dots throughout).
            points: {
              show: false,
              size: 7,
              width: 1,
              stroke: lineColours[i],
              fill: lineColours[i],
              filter: aligned.dots[i]?.length ? aligned.dots[i] : null,
            },
          })),
        ],
        hooks: {
          // What a test or benchmark can wait for: how many lines the last draw put on the canvas.
          draw: [() => figure.setAttribute("data-lines-drawn", String(drawnLines))],
          setCursor: [showTip],
        },
      };
      return new uPlot(options, [aligned.xs, ...aligned.ys] as uPlot.AlignedData, host);
    }
    // `series` is read through `aligned` (same identity); colours through their joined key.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [aligned, coloursKey, unit, logScale, height, format, xLabel]);

  return (
    <figure ref={figureRef} aria-label={`${yLabel} chart`} className="w-full" data-chart="history">
      <figcaption className="mb-1 text-xs text-muted-foreground" data-testid="chart-y-label">
        {yLabel}
      </figcaption>
      {/* The canvas is a picture of the list below; screen readers get the list. */}
      <div ref={plotRef} aria-hidden className="relative w-full" style={{ height }}>
        <div
          ref={tipRef}
          hidden
          className="pointer-events-none absolute z-10 max-w-64 rounded-md border border-border bg-card px-2 py-1 text-xs text-foreground shadow"
        />
      </div>
      <p className="text-center text-xs text-muted-foreground">{xLabel}</p>
      <ul className="mt-1 flex flex-wrap gap-x-3 gap-y-1 text-xs" aria-label={`${yLabel}: runs`}>
        {series.map((s, i) => (
          <li key={s.key} className="inline-flex items-center gap-1.5">
            <span aria-hidden className="inline-block h-0.5 w-3" style={{ background: colours[i] }} />
            {s.label}
          </li>
        ))}
      </ul>
      <ul className="sr-only" aria-label={`${yLabel}: values by run`}>
        {summary.map((s, i) => (
          <li key={series[i]!.key}>
            {s.first && s.last
              ? `${s.label}: ${s.count.toLocaleString("en")} values drawn, from ${formatValue(s.first.y, unit)} at ${xLabel.toLowerCase()} ${formatXText(x, s.first.x)} to ${formatValue(s.last.y, unit)} at ${formatXText(x, s.last.x)}; lowest ${formatValue(s.min, unit)}, highest ${formatValue(s.max, unit)}.`
              : `${s.label}: no finite values.`}
          </li>
        ))}
      </ul>
    </figure>
  );
}

const formatXText = (x: HistoryChartProps["x"], v: number) => (x.kind === "time" ? x.format(v) : v.toLocaleString("en"));
