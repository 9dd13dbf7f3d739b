import { z } from "zod";
import { patchSearch } from "@/lib/url/search-params";
import { RANGE_PRESETS, type RangePreset } from "./range";

/**
 * URL state of the analytics pages, parsed the same way on the server (prefetch) and in the
 * browser, and the API URLs built from it. Equal states give equal URLs, hence equal query keys.
 */
const many = z.union([z.string(), z.array(z.string())]).transform((v) => (Array.isArray(v) ? v : [v]));
const presets = Object.keys(RANGE_PRESETS) as [RangePreset, ...RangePreset[]];

const rangeState = {
  range: z.enum(presets).optional(),
  from: z.coerce.number().int().positive().optional(),
  to: z.coerce.number().int().positive().optional(),
};

export const functionPageState = z.object({ ...rangeState, tag: many.default([]), pct: z.enum(["p50", "p95", "p99"]).default("p95") });
export type FunctionPageState = z.output<typeof functionPageState>;

export const abPageState = z.object({ ...rangeState, metric: z.string().optional(), control: z.string().optional() });
export type AbPageState = z.output<typeof abPageState>;

export const inferencePageState = z.object({
  ...rangeState,
  function: z.string().optional(),
  variant: z.string().optional(),
  model: z.string().optional(),
  status: z.enum(["ok", "error"]).optional(),
  user: z.string().optional(),
  q: z.string().optional(),
  tag: many.default([]),
  metric: z.string().optional(),
  op: z.enum(["eq", "gte", "lte"]).optional(),
  value: z.string().optional(),
  cursor: z.string().optional(),
});
export type InferencePageState = z.output<typeof inferencePageState>;

type RangeState = { range?: RangePreset; from?: number; to?: number };

/** Range parameters: explicit bounds when both are set, else the preset (if any). */
function rangeParams(s: RangeState) {
  return s.from !== undefined && s.to !== undefined
    ? { from: s.from, to: s.to, range: null }
    : { range: s.range ?? null, from: null, to: null };
}

export function functionsApiUrl(s: RangeState): string {
  const q = patchSearch("", rangeParams(s));
  return `/api/functions${q ? `?${q}` : ""}`;
}

export function functionReportApiUrl(name: string, s: FunctionPageState): string {
  const q = patchSearch("", { ...rangeParams(s), tag: s.tag });
  return `/api/functions/${encodeURIComponent(name)}${q ? `?${q}` : ""}`;
}

export function abApiUrl(name: string, s: AbPageState, format: "json" | "csv" = "json"): string {
  const q = patchSearch("", { ...rangeParams(s), metric: s.metric, control: s.control, format: format === "csv" ? "csv" : null });
  return `/api/functions/${encodeURIComponent(name)}/ab${q ? `?${q}` : ""}`;
}

export function inferencesApiUrl(s: InferencePageState, path = "/api/inferences"): string {
  const q = patchSearch("", {
    ...rangeParams(s),
    function: s.function,
    variant: s.variant,
    model: s.model,
    status: s.status,
    user: s.user,
    // The text search narrows the rows only; the facets' menus stay those of the whole range.
    q: path === "/api/inferences" ? s.q : null,
    tag: s.tag,
    metric: s.metric,
    op: s.metric ? s.op : null,
    value: s.metric ? s.value : null,
    cursor: path === "/api/inferences" ? s.cursor : null,
  });
  return `${path}${q ? `?${q}` : ""}`;
}

export const usagePageState = z.object({ ...rangeState, by: z.enum(["model", "function", "variant", "day"]).default("model") });
export type UsagePageState = z.output<typeof usagePageState>;

export function usageApiUrl(s: UsagePageState): string {
  return `/api/usage?${patchSearch("", { ...rangeParams(s), by: s.by })}`;
}
