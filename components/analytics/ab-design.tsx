"use client";

import { MetricLineChart } from "@/components/charts/line-chart";
import { Card, CardTitle } from "@/components/ui/card";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import type { AbReport } from "@/lib/analytics/ab";
import { BOUNDARY_CHART_MAX, boundarySeries, formatDays, formatEffectSize, weightSeries } from "@/lib/analytics/ab-view";
import { formatValue } from "@/lib/charts/format";

/** The A/B page's design panels: power and detectable effects, the planned boundaries, adaptive weights. */
export function AbPower({ report }: { report: AbReport }) {
  const planned = report.design.kind === "planned";
  const treatments = report.variants.filter((v) => !v.isControl && v.verdict !== null);
  const source = report.mde
    ? `the declared minimum effect (mde = ${report.mde.relative ? `${(report.mde.value * 100).toFixed(1)}%` : report.mde.value})`
    : "the observed difference or 5% of the control, whichever is larger (declare an mde for the metric to set it)";
  return (
    <Card aria-label="Power and minimum detectable effect">
      <CardTitle>Power and minimum detectable effect</CardTitle>
      <p className="mt-1 text-xs text-muted-foreground">
        Effects detectable with 80% power under this design; planning effect: {source}. Today&apos;s traffic is the average of the last
        whole days (up to seven).
      </p>
      <Table caption={`Power of each comparison with ${report.control}`}>
        <THead>
          <tr>
            <Th>Variant</Th>
            <Th className="text-right">Detectable now</Th>
            {planned ? <Th className="text-right">Detectable at the horizon</Th> : null}
            <Th className="text-right">Planning effect</Th>
            <Th className="text-right">Samples per variant: now{planned ? " / at the horizon" : ""} / needed</Th>
            <Th className="text-right">Today&apos;s traffic per day</Th>
            <Th className="text-right">Expected time to a decision</Th>
            {planned ? <Th className="text-right">Decision by the horizon</Th> : null}
          </tr>
        </THead>
        <TBody>
          {treatments.map((v) => (
            <Tr key={v.name}>
              <Td className="font-medium">{v.name}</Td>
              <Td numeric>{formatEffectSize(v.mdeNow, report)}</Td>
              {planned ? <Td numeric>{formatEffectSize(v.mdeHorizon, report)}</Td> : null}
              <Td numeric>{formatEffectSize(v.planningEffect, report)}</Td>
              <Td numeric>
                {formatValue(v.n, "count")}
                {planned ? ` / ${formatValue(v.horizonPerVariant, "count")}` : ""} / {formatValue(v.neededPerVariant, "count")}
              </Td>
              <Td numeric>{formatValue(v.perDay, "count")}</Td>
              <Td numeric>{formatDays(v.expectedDays)}</Td>
              {planned ? <Td numeric>{v.decisionProbability === null ? "—" : formatValue(v.decisionProbability, "percent")}</Td> : null}
            </Tr>
          ))}
        </TBody>
      </Table>
      {report.clustered ? (
        <p className="mt-2 text-xs text-muted-foreground">
          Episodes have several inferences: intervals and tests use the episode-clustered (cluster-robust) variance; design effect{" "}
          {report.variants.map((v) => `${v.name} ${v.designEffect === null ? "—" : v.designEffect.toFixed(2)}`).join(", ")}.
        </p>
      ) : null}
    </Card>
  );
}

export function AbBoundaries({ report }: { report: AbReport }) {
  return (
    <Card aria-label="Statistic against the boundary">
      <CardTitle>|z| against the stopping boundary, look by look</CardTitle>
      <p className="mt-1 text-xs text-muted-foreground">
        A variant is decided at the first look where its |z| reaches its boundary. Boundaries above {BOUNDARY_CHART_MAX} (the first looks)
        are not drawn.
      </p>
      <MetricLineChart series={boundarySeries(report)} yLabel="|z|" x={{ kind: "step" }} includeZero height={220} />
    </Card>
  );
}

export function AbWeights({ report }: { report: AbReport }) {
  return (
    <Card aria-label="Traffic weights over time">
      <CardTitle>Traffic weights per variant, by day</CardTitle>
      <p className="mt-1 text-xs text-muted-foreground">
        Adaptive allocation on {report.allocation.metric} (track-and-stop, at least {formatValue(report.allocation.floor ?? 0, "percent")}{" "}
        each), recomputed every UTC day from the feedback before it. Each day is analysed as its own batch, so the verdict stays valid while
        traffic shifts.
      </p>
      <MetricLineChart
        series={weightSeries(report)}
        yLabel="Share of traffic"
        unit="percent"
        x={{ kind: "time", format: (ms) => new Date(ms).toISOString().slice(5, 10) }}
        includeZero
        height={220}
      />
    </Card>
  );
}
