"use client";

import { CartesianGrid, Cell, LabelList, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis } from "recharts";
import { axisTick, type ScatterData } from "@/lib/charts/scatter";

const LABEL_FONT_SIZE = 11;

/**
 * Renders prepared scatter data (lib/charts/scatter.ts); categorical axes show category names.
 * Each point is in its run's colour (`colours`, as in the other charts) and labelled with its name.
 */
export function RunScatter({
  data,
  height = 320,
  width,
  colours,
}: {
  data: ScatterData;
  height?: number;
  width?: number;
  colours?: Record<string, string>;
}) {
  const categoricalTicks = (axis: ScatterData["x"]) => (axis.kind === "categorical" ? (axis.categories ?? []).map((_, i) => i) : undefined);
  // A point at either end of the x axis has its label centred above it: pad the axis by half the
  // longest label (about 0.6 em a character), so no label runs out of the chart and is cut off.
  const longest = Math.max(0, ...data.points.map((p) => p.label.length));
  const edge = Math.min(160, Math.ceil((longest * LABEL_FONT_SIZE * 0.6) / 2) + 4);
  const chart = (
    <ScatterChart width={width} height={height} margin={{ top: 20, right: 24, bottom: 24, left: 8 }}>
      <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" />
      <XAxis
        type="number"
        dataKey="x"
        name={data.x.label}
        domain={["auto", "auto"]}
        ticks={categoricalTicks(data.x)}
        tickFormatter={axisTick(data.x)}
        padding={{ left: edge, right: edge }}
        stroke="var(--muted-foreground)"
        fontSize={12}
        label={{ value: data.x.label, position: "insideBottom", offset: -12, fill: "var(--muted-foreground)", fontSize: 12 }}
      />
      <YAxis
        type="number"
        dataKey="y"
        name={data.y.label}
        domain={["auto", "auto"]}
        ticks={categoricalTicks(data.y)}
        tickFormatter={axisTick(data.y)}
        stroke="var(--muted-foreground)"
        fontSize={12}
        width={72}
        label={{ value: data.y.label, angle: -90, position: "insideLeft", fill: "var(--muted-foreground)", fontSize: 12 }}
      />
      <Tooltip
        cursor={{ strokeDasharray: "3 3" }}
        contentStyle={{ background: "var(--card)", border: "1px solid var(--border)", color: "var(--foreground)" }}
        formatter={(value, name) => [
          name === data.x.label ? axisTick(data.x)(Number(value)) : axisTick(data.y)(Number(value)),
          String(name),
        ]}
        labelFormatter={() => ""}
      />
      <Scatter data={data.points} fill="var(--chart-1)" isAnimationActive={false} name="runs">
        {data.points.map((p) => (
          <Cell key={p.id} fill={colours?.[p.id] ?? "var(--chart-1)"} className="scatter-point" data-run={p.id} />
        ))}
        <LabelList dataKey="label" position="top" fontSize={LABEL_FONT_SIZE} fill="var(--foreground)" />
      </Scatter>
    </ScatterChart>
  );
  return (
    <figure aria-label={`${data.y.label} against ${data.x.label}`} className="w-full">
      {width ? (
        chart
      ) : (
        <ResponsiveContainer width="100%" height={height}>
          {chart}
        </ResponsiveContainer>
      )}
      {data.missing ? (
        <figcaption className="text-xs text-muted-foreground">{data.missing} run(s) without both values are not shown.</figcaption>
      ) : null}
    </figure>
  );
}
