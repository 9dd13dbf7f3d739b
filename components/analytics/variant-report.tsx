"use client";

import { useQuery } from "@tanstack/react-query";
import { MetricLineChart } from "@/components/charts/line-chart";
import { Card, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { KeyValueList } from "@/components/ui/key-value";
import { QueryState } from "@/components/ui/query-state";
import { Skeleton } from "@/components/ui/skeleton";
import { axisTime } from "@/lib/analytics/format";
import { functionPageState, functionReportApiUrl } from "@/lib/analytics/page-state";
import { metricCharts, summaryRows, variantCharts, variantSeries } from "@/lib/analytics/prepare";
import { functionReportSchema } from "@/lib/analytics/schemas";
import { formatValue } from "@/lib/charts/format";
import { fetchJson } from "@/lib/query/fetch-json";
import { queryKeys } from "@/lib/query/keys";
import { useSearchState } from "@/lib/url/use-search-state";
import { RangePicker } from "./range-picker";

/** One variant's traffic, latency, cost, errors and feedback over the range: the function report's numbers for this variant alone. */
export function VariantReportView({ fn, variant }: { fn: string; variant: string }) {
  const [state, update] = useSearchState(functionPageState);
  const url = functionReportApiUrl(fn, state);
  const query = useQuery({ queryKey: queryKeys.functionReport(url), queryFn: () => fetchJson(url, functionReportSchema) });
  return (
    <div className="space-y-5">
      <RangePicker state={state} onChange={update} />
      <QueryState query={query} loading={<Skeleton rows={6} label="Loading the variant's metrics" />} errorTitle={`Could not load ${fn}`}>
        {(report) => {
          const row = summaryRows(report).find((r) => r.variant === variant);
          if (!row?.stats) {
            return (
              <EmptyState title="No traffic for this variant in the range">
                <p>Pick a longer range, or pin the variant in a request to try it.</p>
              </EmptyState>
            );
          }
          const s = row.stats;
          const x = { kind: "time" as const, format: axisTime(report.range.bucketSeconds) };
          const metrics = report.function.metrics;
          return (
            <>
              <Card aria-label="Traffic and metrics">
                <CardTitle className="mb-2">Over the range</CardTitle>
                <KeyValueList
                  items={[
                    ["Requests", `${formatValue(s.requests, "count")} (${formatValue(row.share, "percent")} of the function's)`],
                    ["Error rate", formatValue(row.errorRate, "percent")],
                    ["Latency p50 / p95", `${formatValue(s.latencyP50, "ms")} / ${formatValue(s.latencyP95, "ms")}`],
                    ["Time to first token p50", formatValue(s.ttftP50, "ms")],
                    ["Tokens in / out", `${formatValue(s.inputTokens, "tokens")} / ${formatValue(s.outputTokens, "tokens")}`],
                    ["Cost", `${formatValue(s.cost, "usd")} (${formatValue(row.costPerRequest, "usd")} per request)`],
                    ["Cache hits", formatValue(row.cacheHitRate, "percent")],
                    ...metrics.map((m): [string, string] => {
                      const v = row.metrics[m.name];
                      const shown =
                        v?.mean === null || v === undefined
                          ? "—"
                          : m.type === "boolean"
                            ? formatValue(v.mean, "percent")
                            : formatValue(v.mean);
                      return [
                        `${m.name} (${m.type === "boolean" ? "% true" : "mean"})`,
                        v ? `${shown} from ${formatValue(v.n, "count")} values` : "no feedback",
                      ];
                    }),
                  ]}
                />
              </Card>
              <div className="grid grid-cols-1 gap-4 xl:grid-cols-2">
                {variantCharts(state.pct)
                  .filter((spec) => ["requests", "latency", "cost", "errors"].includes(spec.key))
                  .map((spec) => (
                    <Card key={spec.key} aria-label={spec.title}>
                      <CardTitle>{spec.title}</CardTitle>
                      <MetricLineChart
                        series={variantSeries(report.series, [variant], report.range, spec)}
                        yLabel={spec.yLabel}
                        unit={spec.unit}
                        includeZero={spec.includeZero}
                        x={x}
                        height={220}
                      />
                    </Card>
                  ))}
                {metricCharts(report, [variant]).map((chart) => (
                  <Card key={chart.metric.name} aria-label={`Metric ${chart.metric.name}`}>
                    <CardTitle>{chart.metric.name}</CardTitle>
                    <MetricLineChart
                      series={chart.series}
                      yLabel={chart.yLabel}
                      unit={chart.unit}
                      includeZero={chart.unit === "percent"}
                      x={x}
                      height={220}
                      empty={`No ${chart.metric.name} feedback for this variant in the range.`}
                    />
                  </Card>
                ))}
              </div>
            </>
          );
        }}
      </QueryState>
    </div>
  );
}
