import { decodeMetric, type RunRowData } from "./schemas";
import type { Cell } from "@/lib/charts/parallel";

/**
 * The compare view's data: a param/metric table (with "differences only"), and the cells the
 * parallel-coordinates and scatter charts read, keyed by column id (`param:lr`, `metric:loss`).
 */
export interface CompareRow {
  id: string;
  kind: "param" | "metric";
  key: string;
  values: (string | number | undefined)[];
  differs: boolean;
}

const sameValue = (a: string | number | undefined, b: string | number | undefined) => (Number.isNaN(a) && Number.isNaN(b)) || a === b;

export function compareRows(runs: readonly RunRowData[], differencesOnly: boolean): CompareRow[] {
  const paramKeys = [...new Set(runs.flatMap((r) => Object.keys(r.params)))].sort();
  const metricKeys = [...new Set(runs.flatMap((r) => Object.keys(r.metrics)))].sort();
  const rows: CompareRow[] = [
    ...paramKeys.map((key) => ({ id: `param:${key}`, kind: "param" as const, key, values: runs.map((r) => r.params[key]) })),
    ...metricKeys.map((key) => ({
      id: `metric:${key}`,
      kind: "metric" as const,
      key,
      values: runs.map((r) => decodeMetric(r.metrics[key])),
    })),
  ].map((row) => ({ ...row, differs: row.values.some((v) => !sameValue(v, row.values[0])) }));
  return differencesOnly ? rows.filter((r) => r.differs) : rows;
}

/** Per run, every param and metric as a chart cell. */
export function chartRows(runs: readonly RunRowData[]): { id: string; label: string; cells: Record<string, Cell> }[] {
  return runs.map((r) => {
    const cells: Record<string, Cell> = {};
    for (const [k, v] of Object.entries(r.params)) cells[`param:${k}`] = v;
    for (const [k, v] of Object.entries(r.metrics)) {
      const n = decodeMetric(v);
      cells[`metric:${k}`] = n !== undefined && Number.isFinite(n) ? n : undefined;
    }
    return { id: r.runId, label: r.runName || r.runId.slice(0, 8), cells };
  });
}

/** Params that vary across the runs (the useful axes of a parallel-coordinates view), at most `max`. */
export function varyingParams(runs: readonly RunRowData[], max = 8): string[] {
  return compareRows(runs, true)
    .filter((r) => r.kind === "param")
    .map((r) => r.key)
    .slice(0, max);
}

/** Metric keys every compared run logged (falls back to any run's keys), sorted. */
export function sharedMetricKeys(runs: readonly RunRowData[]): string[] {
  const all = [...new Set(runs.flatMap((r) => Object.keys(r.metrics)))].sort();
  const shared = all.filter((k) => runs.every((r) => k in r.metrics));
  return shared.length ? shared : all;
}

/** Metrics charted on the compare page: the chosen ones, else the first four all runs share. */
export const defaultChartKeys = (runs: readonly RunRowData[], chosen: readonly string[]) =>
  chosen.length ? [...chosen] : sharedMetricKeys(runs).slice(0, 4);
