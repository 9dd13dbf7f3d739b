/**
 * Parallel coordinates of runs: one vertical axis per column (params, then the chosen metric),
 * one polyline per run. Numeric columns get a linear axis over their range; anything else is a
 * categorical axis with its values evenly spaced in sorted order. A run missing a value has a gap
 * on that axis (null), never a made-up position.
 */
export type Cell = string | number | undefined;

export interface ParallelAxis {
  id: string;
  label: string;
  kind: "numeric" | "categorical";
  /** Numeric: [min, max]. */
  domain?: [number, number];
  /** Categorical: values bottom to top. */
  categories?: string[];
}

export interface ParallelLine {
  id: string;
  label: string;
  /** Position on each axis in [0, 1] (0 = bottom), or null when the run has no value there. */
  values: (number | null)[];
  /** Position on the last axis, for colouring; null when missing. */
  colour: number | null;
}

const asNumber = (v: Cell): number | undefined => {
  if (typeof v === "number") return Number.isFinite(v) ? v : undefined;
  if (typeof v !== "string" || v.trim() === "") return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
};

export function buildAxis(id: string, label: string, cells: readonly Cell[]): ParallelAxis {
  const present = cells.filter((c): c is string | number => c !== undefined && c !== "");
  if (present.length > 0 && present.every((c) => asNumber(c) !== undefined)) {
    const numbers = present.map((c) => asNumber(c) as number);
    return { id, label, kind: "numeric", domain: [Math.min(...numbers), Math.max(...numbers)] };
  }
  const categories = [...new Set(present.map(String))].sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
  return { id, label, kind: "categorical", categories };
}

export function position(axis: ParallelAxis, cell: Cell): number | null {
  if (cell === undefined || cell === "") return null;
  if (axis.kind === "numeric") {
    const n = asNumber(cell);
    const [lo, hi] = axis.domain ?? [0, 0];
    if (n === undefined) return null;
    return hi === lo ? 0.5 : (n - lo) / (hi - lo);
  }
  const categories = axis.categories ?? [];
  const i = categories.indexOf(String(cell));
  if (i < 0) return null;
  return categories.length === 1 ? 0.5 : i / (categories.length - 1);
}

export interface ParallelInput {
  rows: { id: string; label: string; cells: Record<string, Cell> }[];
  columns: { id: string; label: string }[];
}

export function parallelCoordinates({ rows, columns }: ParallelInput): { axes: ParallelAxis[]; lines: ParallelLine[] } {
  const axes = columns.map((c) =>
    buildAxis(
      c.id,
      c.label,
      rows.map((r) => r.cells[c.id]),
    ),
  );
  const lines = rows.map((r) => {
    const values = axes.map((a) => position(a, r.cells[a.id]));
    return { id: r.id, label: r.label, values, colour: values.at(-1) ?? null };
  });
  return { axes, lines };
}

/** Segments of a polyline between consecutive present values (a gap breaks the line). */
export function lineSegments(values: readonly (number | null)[]): [number, number][][] {
  const segments: [number, number][][] = [];
  let current: [number, number][] = [];
  values.forEach((v, i) => {
    if (v === null) {
      if (current.length > 1) segments.push(current);
      current = [];
      return;
    }
    current.push([i, v]);
  });
  if (current.length > 1) segments.push(current);
  return segments;
}
