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
  const { rows, lines } = toChartData(series);
  // Rates live in [0, 1]: the axis must not run past 100% (or below 0%) to frame the lines.
  const axis = logScale ? undefined : yAxis(series, { includeZero, bounds: unit === "percent" ? [0, 1] : undefined });
  const formatX = x.kind === "time" ? (x.format ?? timeFormat) : (v: number) => String(v);
  const chart = (
    <LineChart data={rows} width={width} height={height} margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
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
        label={{ value: yLabel, angle: -90, position: "insideLeft", fill: "var(--muted-foreground)", fontSize: 12 }}
      />
      <Tooltip
        labelFormatter={(v) => (typeof v === "number" ? formatX(v) : String(v))}
        formatter={(v) => formatValue(typeof v === "number" ? v : null, unit)}
        contentStyle={{ background: "var(--card)", border: "1px solid var(--border)", color: "var(--foreground)" }}
      />
      <Legend />
      {lines.map((line) => (
        <Line
          key={line.dataKey}
          dataKey={line.dataKey}
          name={line.label}
          stroke={series[line.series]!.color ?? seriesColor(line.series)}
          legendType={line.inLegend ? "line" : "none"}
          dot={false}
          strokeWidth={2}
          connectNulls
          isAnimationActive={false}
        />
      ))}
    </LineChart>
  );
  return (
    <figure aria-label={`${yLabel} chart`} className="w-full">
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
