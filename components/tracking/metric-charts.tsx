"use client";

import { useQuery } from "@tanstack/react-query";
import { useSearchParams } from "next/navigation";
import { memo, useSyncExternalStore } from "react";
import { HistoryChart } from "@/components/charts/history-chart";
import { Field, Select } from "@/components/ui/field";
import { QueryState } from "@/components/ui/query-state";
import { Skeleton } from "@/components/ui/skeleton";
import { prepareMetricChart, type ChartOptions, type HistorySeries, type XMode } from "@/lib/charts/history";
import { fetchHistory, historyInput } from "@/lib/experiments/api";
import { formatDuration, formatTime } from "@/lib/experiments/format";
import { chartState } from "@/lib/experiments/schemas";
import { queryKeys } from "@/lib/query/keys";
import { useSearchState } from "@/lib/url/use-search-state";

export function useHistory(runs: readonly string[], keys: readonly string[], x: XMode) {
  const input = historyInput(runs, keys, x);
  return useQuery({
    queryKey: queryKeys.runHistory(input),
    queryFn: () => fetchHistory(input),
    enabled: runs.length > 0 && keys.length > 0,
  });
}

/** Where the browser remembers the last smoothing its user chose, for pages opened without one. */
const SMOOTHING_KEY = "llmops.charts.smoothing";
const SMOOTHING_CHANGED = "llmops:smoothing";

function subscribeSmoothing(onChange: () => void): () => void {
  window.addEventListener("storage", onChange);
  window.addEventListener(SMOOTHING_CHANGED, onChange);
  return () => {
    window.removeEventListener("storage", onChange);
    window.removeEventListener(SMOOTHING_CHANGED, onChange);
  };
}

function savedSmoothing(): number {
  const saved = Number(window.localStorage.getItem(SMOOTHING_KEY));
  return saved > 0 && saved <= 0.99 ? saved : 0;
}

/**
 * The EMA weight the charts use: the URL's (`smooth`) when it says one, else the last weight chosen
 * in this browser (localStorage), else off. Choosing one puts it in the URL and remembers it.
 */
function useSmoothing(): [number, (weight: number) => void] {
  const [state, update] = useSearchState(chartState, { shallow: true });
  const inUrl = useSearchParams().has("smooth");
  // Off on the server and during hydration; the saved weight right after.
  const saved = useSyncExternalStore(subscribeSmoothing, savedSmoothing, () => 0);
  const choose = (weight: number) => {
    window.localStorage.setItem(SMOOTHING_KEY, String(weight));
    window.dispatchEvent(new Event(SMOOTHING_CHANGED));
    update({ smooth: String(weight) });
  };
  return [inUrl ? state.smooth : saved, choose];
}

/** x axis, smoothing and log scale for every chart on the page, kept in the URL (smoothing also in this browser). */
export function ChartControls() {
  const [state, update] = useSearchState(chartState, { shallow: true });
  const [smoothing, smooth] = useSmoothing();
  return (
    <div className="flex flex-wrap items-end gap-4">
      <Field label="X axis">
        {(props) => (
          <Select {...props} value={state.x} onChange={(e) => update({ x: e.target.value === "step" ? null : e.target.value })}>
            <option value="step">Step</option>
            <option value="relative">Time since start</option>
            <option value="wall">Wall time (UTC)</option>
          </Select>
        )}
      </Field>
      <div className="flex flex-col gap-1">
        <label htmlFor="chart-smoothing" className="text-xs font-medium text-muted-foreground">
          Smoothing (EMA): {smoothing === 0 ? "off" : smoothing.toFixed(2)}
        </label>
        <input
          id="chart-smoothing"
          type="range"
          min={0}
          max={0.99}
          step={0.01}
          value={smoothing}
          onChange={(e) => smooth(Number(e.target.value))}
          className="w-40"
        />
      </div>
      <label className="flex items-center gap-2 pb-1.5 text-sm">
        <input type="checkbox" checked={state.log === "1"} onChange={(e) => update({ log: e.target.checked ? "1" : null })} />
        Log scale
      </label>
    </div>
  );
}

const X_LABEL: Record<XMode, string> = { step: "Step", relative: "Time since start", wall: "Wall time (UTC)" };

interface ChartItemProps {
  metric: string;
  history: readonly HistorySeries[];
  runs: readonly { runId: string; runName: string }[];
  options: ChartOptions;
}

const sameRuns = (a: ChartItemProps["runs"], b: ChartItemProps["runs"]) =>
  a.length === b.length && a.every((r, i) => r.runId === b[i]?.runId && r.runName === b[i]?.runName);

/**
 * One metric's chart. Memoised on what it shows: the page re-renders when a control changes, and
 * an unchanged chart need not prepare its series and redraw its canvas again.
 */
const MetricChartItem = memo(
  function MetricChartItem({ metric, history, runs, options }: ChartItemProps) {
    const series = prepareMetricChart(history, metric, runs, options);
    const total = history.filter((s) => s.key === metric).reduce((n, s) => n + s.total, 0);
    const drawn = series.reduce((n, s) => n + s.points.length, 0);
    const x =
      options.x === "step"
        ? ({ kind: "step" } as const)
        : ({ kind: "time", format: options.x === "relative" ? formatDuration : formatTime } as const);
    return (
      <li className="rounded-lg border border-border bg-card p-3">
        <h3 className="mb-1 flex items-baseline justify-between gap-2 text-sm font-semibold">
          <span className="font-mono">{metric}</span>
          <span className="text-xs font-normal text-muted-foreground">
            {total === 0
              ? "no finite points"
              : drawn < total
                ? `${drawn.toLocaleString("en")} of ${total.toLocaleString("en")} points (downsampled)`
                : `${total.toLocaleString("en")} points`}
          </span>
        </h3>
        {series.length ? (
          <HistoryChart series={series} yLabel={metric} x={x} xLabel={X_LABEL[options.x]} logScale={options.logScale} height={260} />
        ) : (
          <p className="py-10 text-center text-sm text-muted-foreground">No finite values to draw for this metric.</p>
        )}
      </li>
    );
  },
  (a, b) =>
    a.metric === b.metric &&
    a.history === b.history &&
    sameRuns(a.runs, b.runs) &&
    a.options.x === b.options.x &&
    a.options.smoothing === b.options.smoothing &&
    a.options.logScale === b.options.logScale,
);

/**
 * One chart per metric key, each overlaying the given runs. Data comes downsampled from the
 * server in one request; preparation (x axis, smoothing, log scale) is pure (lib/charts/history).
 * Every chart draws at once: on canvas, ten lines of a few hundred points take milliseconds.
 */
export function MetricCharts({
  runs,
  keys,
  columns = 2,
}: {
  runs: { runId: string; runName: string }[];
  keys: string[];
  columns?: 1 | 2 | 3;
}) {
  const [state] = useSearchState(chartState, { shallow: true });
  const history = useHistory(
    runs.map((r) => r.runId),
    keys,
    state.x,
  );
  const [smoothing] = useSmoothing();
  const options: ChartOptions = { x: state.x, smoothing, logScale: state.log === "1" };
  const grid = columns === 1 ? "grid-cols-1" : columns === 3 ? "grid-cols-1 lg:grid-cols-2 2xl:grid-cols-3" : "grid-cols-1 xl:grid-cols-2";
  return (
    <QueryState query={history} errorTitle="Could not load the metric histories" loading={<Skeleton rows={6} label="Loading charts" />}>
      {(data) => (
        <ul className={`grid gap-4 ${grid}`}>
          {keys.map((key) => (
            <MetricChartItem key={key} metric={key} history={data.series} runs={runs} options={options} />
          ))}
        </ul>
      )}
    </QueryState>
  );
}
