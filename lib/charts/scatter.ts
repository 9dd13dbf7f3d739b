import type { Cell } from "./parallel";
import { buildAxis, type ParallelAxis } from "./parallel";

/**
 * A scatter of any two columns of the compared runs. Numeric columns plot their values; other
 * columns plot the index of each value among the column's sorted categories (the axis ticks name
 * them). Runs missing either value are left out and counted, so the chart can say so.
 */
export interface ScatterPoint {
  id: string;
  label: string;
  x: number;
  y: number;
}

export interface ScatterData {
  x: ParallelAxis;
  y: ParallelAxis;
  points: ScatterPoint[];
  missing: number;
}

function coordinate(axis: ParallelAxis, cell: Cell): number | undefined {
  if (cell === undefined || cell === "") return undefined;
  if (axis.kind === "numeric") {
    const n = typeof cell === "number" ? cell : Number(cell);
    return Number.isFinite(n) ? n : undefined;
  }
  const i = axis.categories?.indexOf(String(cell)) ?? -1;
  return i < 0 ? undefined : i;
}

export function scatterData(
  rows: readonly { id: string; label: string; cells: Record<string, Cell> }[],
  x: { id: string; label: string },
  y: { id: string; label: string },
): ScatterData {
  const xAxis = buildAxis(
    x.id,
    x.label,
    rows.map((r) => r.cells[x.id]),
  );
  const yAxis = buildAxis(
    y.id,
    y.label,
    rows.map((r) => r.cells[y.id]),
  );
  const points: ScatterPoint[] = [];
  let missing = 0;
  for (const row of rows) {
    const px = coordinate(xAxis, row.cells[x.id]);
    const py = coordinate(yAxis, row.cells[y.id]);
    if (px === undefined || py === undefined) missing += 1;
    else points.push({ id: row.id, label: row.label, x: px, y: py });
  }
  return { x: xAxis, y: yAxis, points, missing };
}

/** Tick formatter for an axis: category names for categorical axes. */
export function axisTick(axis: ParallelAxis): (value: number) => string {
  if (axis.kind === "categorical") return (v) => axis.categories?.[Math.round(v)] ?? "";
  return (v) => String(Number(v.toPrecision(4)));
}
