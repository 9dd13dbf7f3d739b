"use client";

import { useQuery } from "@tanstack/react-query";
import dynamic from "next/dynamic";
import Link from "next/link";
import { ParallelCoordinates } from "@/components/charts/parallel-coordinates";
import { EmptyState } from "@/components/ui/empty-state";
import { Field, Select } from "@/components/ui/field";
import { QueryState } from "@/components/ui/query-state";
import { TBody, THead, Table, Td, Th, Tr } from "@/components/ui/table";
import { parallelCoordinates } from "@/lib/charts/parallel";
import { scatterData } from "@/lib/charts/scatter";
import { runColours } from "@/lib/charts/series";
import { fetchCompareRuns } from "@/lib/experiments/api";
import { chartRows, compareRows, defaultChartKeys, sharedMetricKeys, varyingParams } from "@/lib/experiments/compare";
import { formatValue } from "@/lib/charts/format";
import { compareState, type RunRowData } from "@/lib/experiments/schemas";
import { queryKeys } from "@/lib/query/keys";
import { useSearchState } from "@/lib/url/use-search-state";
import { ChartControls, MetricCharts } from "./metric-charts";
import { StatusBadge, runHref } from "./runs-table";

/**
 * The scatter is the page's only recharts chart: loaded after the page has hydrated, so that the
 * metric histories above it are drawn first (bench:runs-ui). Its box keeps the chart's height while
 * it loads, so nothing below moves.
 */
const RunScatter = dynamic(() => import("@/components/charts/scatter-chart").then((m) => m.RunScatter), {
  ssr: false,
  loading: () => <div aria-busy="true" aria-label="Loading the scatter chart" className="h-80 w-full animate-pulse rounded bg-muted" />,
});

export function useCompareRuns(runIds: readonly string[]) {
  return useQuery({ queryKey: queryKeys.compare(runIds), queryFn: () => fetchCompareRuns(runIds), enabled: runIds.length > 0 });
}

function CompareBody({ runs }: { runs: RunRowData[] }) {
  const [state, update] = useSearchState(compareState, { shallow: true });
  const metricKeys = [...new Set(runs.flatMap((r) => Object.keys(r.metrics)))].sort();
  const chartKeys = defaultChartKeys(runs, state.m).filter((k) => metricKeys.includes(k));
  const cells = chartRows(runs);
  const parallelMetric = state.pm && metricKeys.includes(state.pm) ? state.pm : (sharedMetricKeys(runs)[0] ?? "");
  const params = varyingParams(runs);
  const parallel = parallelCoordinates({
    rows: cells,
    columns: [
      ...params.map((p) => ({ id: `param:${p}`, label: p })),
      ...(parallelMetric ? [{ id: `metric:${parallelMetric}`, label: parallelMetric }] : []),
    ],
  });
  const columnOptions = [
    ...metricKeys.map((k) => `metric:${k}`),
    ...[...new Set(runs.flatMap((r) => Object.keys(r.params)))].sort().map((k) => `param:${k}`),
  ];
  const px = state.px && columnOptions.includes(state.px) ? state.px : params[0] ? `param:${params[0]}` : (columnOptions[0] ?? "");
  const py =
    state.py && columnOptions.includes(state.py) ? state.py : parallelMetric ? `metric:${parallelMetric}` : (columnOptions[1] ?? "");
  const scatter =
    px && py ? scatterData(cells, { id: px, label: px.replace(/^\w+:/, "") }, { id: py, label: py.replace(/^\w+:/, "") }) : undefined;
  const table = compareRows(runs, state.diff === "1");
  // The chips' colours, used by every chart below (histories colour runs by the same order).
  const colours = runColours(runs.map((r) => r.runId));

  return (
    <div className="space-y-8">
      <section aria-labelledby="compared-runs">
        <h2 id="compared-runs" className="mb-2 text-lg font-semibold">
          {runs.length} runs
        </h2>
        <ul className="flex flex-wrap gap-2 text-sm">
          {runs.map((r) => (
            <li key={r.runId} className="inline-flex items-center gap-1.5 rounded-full border border-border px-2 py-0.5">
              <span aria-hidden className="inline-block h-2.5 w-2.5 rounded-full" style={{ background: colours[r.runId] }} />
              <Link href={runHref(r)} className="hover:underline">
                {r.runName || r.runId.slice(0, 8)}
              </Link>
              <StatusBadge status={r.status} />
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="compare-charts" className="space-y-3">
        <h2 id="compare-charts" className="text-lg font-semibold">
          Metric histories
        </h2>
        <div className="flex flex-wrap items-end gap-4">
          <ChartControls />
          <details className="relative">
            <summary className="cursor-pointer rounded-md border border-border bg-card px-3 py-1.5 text-sm">
              Metrics ({chartKeys.length})
            </summary>
            <fieldset className="absolute z-20 mt-1 max-h-72 w-64 overflow-auto rounded-lg border border-border bg-card p-3 shadow-lg">
              <legend className="sr-only">Metrics to chart</legend>
              {metricKeys.map((k) => (
                <label key={k} className="flex items-center gap-2 text-sm">
                  <input
                    type="checkbox"
                    checked={chartKeys.includes(k)}
                    disabled={!chartKeys.includes(k) && chartKeys.length >= 12}
                    onChange={(e) => update({ m: e.target.checked ? [...chartKeys, k] : chartKeys.filter((c) => c !== k) })}
                  />
                  <span className="font-mono text-xs">{k}</span>
                </label>
              ))}
            </fieldset>
          </details>
        </div>
        {chartKeys.length ? (
          <MetricCharts runs={runs.map((r) => ({ runId: r.runId, runName: r.runName }))} keys={chartKeys} />
        ) : (
          <EmptyState title="These runs logged no metrics" />
        )}
      </section>

      <section aria-labelledby="compare-parallel" className="space-y-3">
        <div className="flex flex-wrap items-end justify-between gap-3">
          <h2 id="compare-parallel" className="text-lg font-semibold">
            Parameters vs {parallelMetric || "a metric"}
          </h2>
          <Field label="Metric (last axis)">
            {(props) => (
              <Select {...props} value={parallelMetric} onChange={(e) => update({ pm: e.target.value })}>
                {metricKeys.map((k) => (
                  <option key={k} value={k}>
                    {k}
                  </option>
                ))}
              </Select>
            )}
          </Field>
        </div>
        {params.length === 0 ? (
          <EmptyState title="No parameter varies across these runs">
            <p>Parallel coordinates need parameters with different values; compare runs of a sweep.</p>
          </EmptyState>
        ) : (
          <ParallelCoordinates axes={parallel.axes} lines={parallel.lines} label="Parallel coordinates" colours={colours} />
        )}
      </section>

      <section aria-labelledby="compare-scatter" className="space-y-3">
        <div className="flex flex-wrap items-end justify-between gap-3">
          <h2 id="compare-scatter" className="text-lg font-semibold">
            Scatter
          </h2>
          <div className="flex gap-3">
            {(["px", "py"] as const).map((axis) => (
              <Field key={axis} label={axis === "px" ? "X axis" : "Y axis"}>
                {(props) => (
                  <Select {...props} value={axis === "px" ? px : py} onChange={(e) => update({ [axis]: e.target.value })}>
                    {columnOptions.map((c) => (
                      <option key={c} value={c}>
                        {c.replace(":", ": ")}
                      </option>
                    ))}
                  </Select>
                )}
              </Field>
            ))}
          </div>
        </div>
        {scatter ? <RunScatter data={scatter} colours={colours} /> : <EmptyState title="Nothing to plot" />}
      </section>

      <section aria-labelledby="compare-table" className="space-y-3">
        <div className="flex flex-wrap items-center justify-between gap-3">
          <h2 id="compare-table" className="text-lg font-semibold">
            Parameters and metrics
          </h2>
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" checked={state.diff === "1"} onChange={(e) => update({ diff: e.target.checked ? null : "0" })} />
            Differences only
          </label>
        </div>
        {table.length === 0 ? (
          <EmptyState title={state.diff === "1" ? "These runs have the same parameters and metrics" : "No parameters or metrics"} />
        ) : (
          <Table caption="Parameters and metrics of the compared runs">
            <THead>
              <tr>
                <Th>Key</Th>
                {runs.map((r) => (
                  <Th key={r.runId} className="max-w-40 truncate" title={r.runName || r.runId}>
                    {r.runName || r.runId.slice(0, 8)}
                  </Th>
                ))}
              </tr>
            </THead>
            <TBody>
              {table.map((row) => (
                <Tr key={row.id} className={row.differs ? undefined : "text-muted-foreground"}>
                  <Th scope="row" className="text-left font-mono text-xs font-normal">
                    <span className="text-muted-foreground">{row.kind === "param" ? "param" : "metric"} </span>
                    {row.key}
                  </Th>
                  {row.values.map((v, i) => (
                    <Td key={runs[i]?.runId ?? i} numeric={row.kind === "metric"} className="font-mono text-xs">
                      {v === undefined ? "—" : typeof v === "number" ? formatValue(v) : v}
                    </Td>
                  ))}
                </Tr>
              ))}
            </TBody>
          </Table>
        )}
      </section>
    </div>
  );
}

/** Compare 2 to 200 runs: overlaid histories, parallel coordinates, scatter, and a diff table. */
export function CompareView() {
  const [state] = useSearchState(compareState, { shallow: true });
  const runs = useCompareRuns(state.runs);
  if (state.runs.length < 2) {
    return (
      <EmptyState title="Choose at least two runs">
        <p>Select runs in an experiment&apos;s runs table, then press Compare.</p>
      </EmptyState>
    );
  }
  return (
    <QueryState query={runs} errorTitle="Could not load the runs to compare">
      {(data) =>
        data.runs.length < 2 ? (
          <EmptyState title="These runs were not found">
            <p>{state.runs.length - data.runs.length} of the runs in this link no longer exist.</p>
          </EmptyState>
        ) : (
          <CompareBody runs={data.runs} />
        )
      }
    </QueryState>
  );
}
