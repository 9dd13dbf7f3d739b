"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { MetricLineChart } from "@/components/charts/line-chart";
import { Badge } from "@/components/ui/badge";
import { Card, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Field, Select } from "@/components/ui/field";
import { QueryState } from "@/components/ui/query-state";
import { Skeleton } from "@/components/ui/skeleton";
import { axisTime } from "@/lib/analytics/format";
import { functionPageState, functionReportApiUrl } from "@/lib/analytics/page-state";
import { lastBucketPartial, metricCharts, MIN_VALUES_PER_POINT, variantCharts, variantOrder, variantSeries } from "@/lib/analytics/prepare";
import { BUCKETS } from "@/lib/analytics/range";
import { functionReportSchema, type FunctionReport } from "@/lib/analytics/schemas";
import { fetchJson } from "@/lib/query/fetch-json";
import { queryKeys } from "@/lib/query/keys";
import { patchSearch } from "@/lib/url/search-params";
import { useSearchState } from "@/lib/url/use-search-state";
import { RangePicker } from "./range-picker";
import { SummaryTable } from "./summary-table";
import { TagFilter } from "./tag-filter";

const SOURCE_TEXT = {
  rollup_1m: "per-minute rollups",
  rollup_1h: "per-hour rollups",
  raw: "the raw log: tag filters cannot use the rollups, so this view is slower",
} as const;

function Charts({ report, percentile }: { report: FunctionReport; percentile: "p50" | "p95" | "p99" }) {
  const variants = variantOrder(report);
  const x = { kind: "time" as const, format: axisTime(report.range.bucketSeconds) };
  return (
    <div className="grid grid-cols-1 gap-4 xl:grid-cols-2">
      {variantCharts(percentile).map((spec) => (
        <Card key={spec.key} aria-label={spec.title}>
          <CardTitle>{spec.title}</CardTitle>
          <MetricLineChart
            series={variantSeries(report.series, variants, report.range, spec)}
            yLabel={spec.yLabel}
            unit={spec.unit}
            includeZero={spec.includeZero}
            x={x}
            height={240}
          />
        </Card>
      ))}
      {metricCharts(report, variants).map((chart) => (
        <Card key={chart.metric.name} aria-label={`Metric ${chart.metric.name}`}>
          <CardTitle>
            {chart.metric.name}{" "}
            <span className="text-xs font-normal text-muted-foreground">
              {chart.metric.type} · {chart.metric.level}-level · {chart.metric.optimize === "max" ? "higher is better" : "lower is better"}
              {chart.metric.declared ? "" : " (inferred from feedback)"}
              {chart.merge > 1
                ? ` · each point merges ${chart.merge} buckets of ${BUCKETS.find((b) => b.seconds === report.range.bucketSeconds)?.label ?? `${report.range.bucketSeconds} s`} (at least ${MIN_VALUES_PER_POINT} values a point where the range allows)`
                : ""}
            </span>
          </CardTitle>
          <MetricLineChart
            series={chart.series}
            yLabel={chart.yLabel}
            unit={chart.unit}
            includeZero={chart.unit === "percent"}
            x={x}
            height={240}
            empty={`No ${chart.metric.name} feedback for this function in the range.`}
          />
        </Card>
      ))}
    </div>
  );
}

export function FunctionReportView({ name }: { name: string }) {
  const [state, update] = useSearchState(functionPageState);
  const url = functionReportApiUrl(name, state);
  const query = useQuery({ queryKey: queryKeys.functionReport(url), queryFn: () => fetchJson(url, functionReportSchema) });
  const abHref = `/functions/${encodeURIComponent(name)}/ab${state.range ? `?${patchSearch("", { range: state.range })}` : ""}`;
  return (
    <div className="space-y-5">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div className="flex flex-wrap items-end gap-4">
          <RangePicker state={state} onChange={update} />
          <Field label="Percentile">
            {(p) => (
              <Select {...p} value={state.pct} onChange={(e) => update({ pct: e.target.value === "p95" ? null : e.target.value })}>
                <option value="p50">p50 (median)</option>
                <option value="p95">p95</option>
                <option value="p99">p99</option>
              </Select>
            )}
          </Field>
          <TagFilter tags={state.tag} onChange={(tag) => update({ tag })} note="Filters inferences by tag (reads the raw log)" />
        </div>
        <Link href={abHref} className="rounded-md bg-primary px-3 py-1.5 text-sm font-medium text-primary-foreground hover:opacity-90">
          A/B results →
        </Link>
      </div>
      <QueryState
        query={query}
        loading={<Skeleton rows={8} label="Loading the function's metrics" />}
        errorTitle={`Could not load ${name}`}
      >
        {(report) => (
          <>
            <p className="text-xs text-muted-foreground">
              <Badge tone={report.range.source === "raw" ? "warning" : "neutral"}>
                {report.range.source === "raw" ? "raw log" : "rollups"}
              </Badge>{" "}
              Buckets of {BUCKETS.find((b) => b.seconds === report.range.bucketSeconds)?.label ?? `${report.range.bucketSeconds} s`}, read
              from {SOURCE_TEXT[report.range.source]}.
              {lastBucketPartial(report.range) ? " The last bucket is still filling: totals charts leave it out." : ""} Variants and metrics
              from{" "}
              {report.function.source === "config"
                ? "the gateway's configuration"
                : "the recorded data (no configuration loaded for this function)"}
              .
              {report.function.metrics.length
                ? " Feedback columns and charts count every value received, re-labels included; the A/B results count each inference or episode once, with its latest value."
                : ""}
            </p>
            {report.summary.length === 0 ? (
              <EmptyState title="No traffic in this time range">
                <p>Pick a longer range{state.tag.length ? " or remove tag filters" : ""}.</p>
              </EmptyState>
            ) : (
              <>
                <SummaryTable report={report} />
                <Charts report={report} percentile={state.pct} />
              </>
            )}
          </>
        )}
      </QueryState>
    </div>
  );
}
