"use client";

import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatValue, type Unit } from "@/lib/charts/format";
import { seriesColor, toChartData, yAxis, type Series } from "@/lib/charts/series";

export interface LineChartProps {
  series: Series[];
  /** Label of the y axis, with its unit, e.g. "Latency p95". */
  yLabel: string;
  unit?: Unit;
  x: { kind: "step" } | { kind: "time"; format?: (ms: number) => string };
  logScale?: boolean;
  /** Counts start at zero; rates and scores do not (no misleading axes either way). */
  includeZero?: boolean;
  height?: number;
  /** Fixed width; without it the chart fills its container. */
  width?: number;
  /** What to say when no series has a value to draw (default: no data for the y label). */
  empty?: string;
}

/** The unit named beside an axis label that does not already say it. */
const UNIT_NAME: Record<Unit, string> = {
  count: "count",
  tokens: "tokens",
  ms: "ms",
  s: "s",
  percent: "%",
  usd: "USD",
  ratio: "ratio",
  none: "",
};

const timeFormat = (ms: number) =>
  new Date(ms).toLocaleString("en", { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });

/** Renders prepared series (see lib/charts/series.ts); it never fetches or reshapes data. */
export function MetricLineChart({ series, yLabel, unit = "none", x, logScale, includeZero, height = 280, width, empty }: LineChartProps) {
  if (!series.some((s) => s.points.some((p) => p.y !== null && Number.isFinite(p.y)))) {
    return (
      <figure
        aria-label={`${yLabel} chart`}
        className="flex w-full items-center justify-center rounded-md border border-dashed border-border text-sm text-muted-foreground"
        style={{ height }}
      >
        <figcaption>{empty ?? `No ${yLabel.toLowerCase()} data in this range.`}</figcaption>
      </figure>
    );
  }
  const { lines } = toChartData(series);
  // Rates live in [0, 1]: the axis must not run past 100% (or below 0%) to frame the lines.
  const counts = unit === "count" || unit === "tokens";
  const axis = logScale ? undefined : yAxis(series, { includeZero, bounds: unit === "percent" ? [0, 1] : undefined, integer: counts });
  const formatX = x.kind === "time" ? (x.format ?? timeFormat) : (v: number) => String(v);
  const chart = (
    <LineChart width={width} height={height} margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
      <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" />
      <XAxis
        dataKey="x"
        type="number"
        domain={["dataMin", "dataMax"]}
        tickFormatter={formatX}
        stroke="var(--muted-foreground)"
        fontSize={12}
        name={x.kind === "time" ? "Time" : "Step"}
      />
      <YAxis
        scale={logScale ? "log" : "linear"}
        domain={axis?.domain ?? ["auto", "auto"]}
        ticks={axis?.ticks}
        allowDataOverflow={false}
        tickFormatter={(v: number) => formatValue(v, unit)}
        stroke="var(--muted-foreground)"
        fontSize={12}
        width={72}
        allowDecimals={!counts}
      />
      <Tooltip
        labelFormatter={(v) => (typeof v === "number" ? formatX(v) : String(v))}
        formatter={(v) => formatValue(typeof v === "number" ? v : null, unit)}
        contentStyle={{ background: "var(--card)", border: "1px solid var(--border)", color: "var(--foreground)" }}
      />
      <Legend />
      {lines.map((line) => {
        const colour = series[line.series]!.color ?? seriesColor(line.series);
        return (
          <Line
            key={line.dataKey}
            data={line.data}
            dataKey="y"
            name={line.label}
            stroke={colour}
            legendType={line.inLegend ? "line" : "none"}
            // A value alone in its stretch draws no line: a dot shows it (sparse series get dots throughout).
            dot={line.dots ? { r: 3, fill: colour, stroke: colour, strokeWidth: 1, className: "chart-dot" } : false}
            strokeWidth={2}
            isAnimationActive={false}
          />
        );
      })}
    </LineChart>
  );
  return (
    <figure aria-label={`${yLabel} chart`} className="w-full">
      {/* The axis' name above the chart, whole: rotated inside the axis it was cut off ("Tokens (in + ou"). */}
      <figcaption className="mb-1 text-xs text-muted-foreground" data-testid="chart-y-label">
        {yLabel}
        {UNIT_NAME[unit] && !/[(%]/.test(yLabel) ? ` (${UNIT_NAME[unit]})` : ""}
      </figcaption>
      {width ? (
        chart
      ) : (
        <ResponsiveContainer width="100%" height={height}>
          {chart}
        </ResponsiveContainer>
      )}
    </figure>
  );
}
