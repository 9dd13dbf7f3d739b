import { z } from "zod";
import { CLICKHOUSE_TIME_MESSAGE, isClickHouseTime } from "@/lib/inference/tables";

/**
 * Time ranges of the dashboard pages: a preset ("24h") or explicit bounds, the bucket chosen from
 * the range's length (a few hundred points at most), and the rollup table that can serve it.
 * Ranges are snapped outward to whole buckets, so every bucket drawn is complete and the numbers
 * of the summary table are exactly those of the chart.
 */
export const RANGE_PRESETS = {
  "1h": 3_600_000,
  "6h": 6 * 3_600_000,
  "24h": 24 * 3_600_000,
  "7d": 7 * 86_400_000,
  "30d": 30 * 86_400_000,
  "90d": 90 * 86_400_000,
} as const;
export type RangePreset = keyof typeof RANGE_PRESETS;
export const PRESET_LABELS: Record<RangePreset, string> = {
  "1h": "Last hour",
  "6h": "Last 6 hours",
  "24h": "Last 24 hours",
  "7d": "Last 7 days",
  "30d": "Last 30 days",
  "90d": "Last 90 days",
};
export const DEFAULT_PRESET: RangePreset = "7d";
/** Longest range a query may cover: bounds every scan, even of the rollups. */
export const MAX_RANGE_MS = 400 * 86_400_000;

export const BUCKETS = [
  { seconds: 60, label: "1 minute" },
  { seconds: 300, label: "5 minutes" },
  { seconds: 900, label: "15 minutes" },
  { seconds: 3_600, label: "1 hour" },
  { seconds: 6 * 3_600, label: "6 hours" },
  { seconds: 86_400, label: "1 day" },
] as const;
export type Bucket = (typeof BUCKETS)[number];

/** At most this many buckets per series: enough detail, still light to draw and hover. */
export const MAX_POINTS = 360;

export type Rollup = "1m" | "1h";

export interface ResolvedRange {
  /** Inclusive start, ms since epoch, on a bucket boundary. */
  from: number;
  /** Exclusive end, ms since epoch, on a bucket boundary. */
  to: number;
  bucket: Bucket;
  /** The rollup whose buckets divide `bucket`: hourly ones for hour-or-longer buckets. */
  rollup: Rollup;
}

/** The smallest bucket that keeps the range within MAX_POINTS points. */
export function chooseBucket(rangeMs: number): Bucket {
  for (const bucket of BUCKETS) if (rangeMs / (bucket.seconds * 1000) <= MAX_POINTS) return bucket;
  return BUCKETS[5];
}

/** Snaps [from, to) outward to whole buckets (UTC, aligned on the epoch) and picks the rollup. */
export function resolveRange(from: number, to: number): ResolvedRange {
  if (!(Number.isFinite(from) && Number.isFinite(to)) || to <= from) throw new RangeError("the range must end after it starts");
  if (to - from > MAX_RANGE_MS) throw new RangeError(`the range may cover at most ${MAX_RANGE_MS / 86_400_000} days`);
  const bucket = chooseBucket(to - from);
  const step = bucket.seconds * 1000;
  const start = Math.floor(from / step) * step;
  const end = Math.ceil(to / step) * step;
  return { from: start, to: end === start ? start + step : end, bucket, rollup: bucket.seconds >= 3_600 ? "1h" : "1m" };
}

/**
 * The query-string form shared by pages and API routes: `range=24h`, or `from`/`to` as ISO
 * dates or epoch milliseconds (both given, `to` after `from`). Without either, the default preset.
 */
const instant = z
  .union([z.coerce.number().int().positive(), z.iso.datetime({ offset: true }).transform((s) => Date.parse(s))])
  .refine(isClickHouseTime, CLICKHOUSE_TIME_MESSAGE);

const rangeFields = {
  range: z.enum(Object.keys(RANGE_PRESETS) as [RangePreset, ...RangePreset[]]).optional(),
  from: instant.optional(),
  to: instant.optional(),
};

function checkRange(value: object, ctx: z.RefinementCtx) {
  // Read through `in` checks: the generic schema's output type does not expose the fields here.
  const v = {
    from: "from" in value && typeof value.from === "number" ? value.from : undefined,
    to: "to" in value && typeof value.to === "number" ? value.to : undefined,
  };
  if ((v.from === undefined) !== (v.to === undefined)) ctx.addIssue({ code: "custom", message: "give both `from` and `to`, or neither" });
  if (v.from !== undefined && v.to !== undefined && v.to <= v.from)
    ctx.addIssue({ code: "custom", path: ["to"], message: "`to` must be after `from`" });
  if (v.from !== undefined && v.to !== undefined && v.to - v.from > MAX_RANGE_MS)
    ctx.addIssue({ code: "custom", path: ["to"], message: `the range may cover at most ${MAX_RANGE_MS / 86_400_000} days` });
}

/** A query schema with the range fields and `extra` ones. */
export function withRange<T extends z.ZodRawShape>(extra: T) {
  return z.object({ ...rangeFields, ...extra }).superRefine(checkRange);
}

export const rangeQuery = withRange({});
export type RangeQuery = z.output<typeof rangeQuery>;

/** The range a query asks for, resolved against `now` (a preset ends now). */
export function rangeFromQuery(q: RangeQuery, now = Date.now()): ResolvedRange {
  if (q.from !== undefined && q.to !== undefined) return resolveRange(q.from, q.to);
  const preset = q.range ?? DEFAULT_PRESET;
  return resolveRange(now - RANGE_PRESETS[preset], now);
}

/** Tag filters, `key:value` (the first colon splits), as the pages put them in the URL. */
export const tagFilter = z
  .string()
  .min(3)
  .max(500)
  .refine((s) => s.indexOf(":") > 0, "a tag filter is `key:value`")
  .transform((s) => ({ key: s.slice(0, s.indexOf(":")), value: s.slice(s.indexOf(":") + 1) }));
export type TagFilter = z.output<typeof tagFilter>;

export const tagFilters = z
  .union([tagFilter, z.array(tagFilter).max(10)])
  .transform((v) => (Array.isArray(v) ? v : [v]))
  .optional();

/** ClickHouse DateTime text (UTC, seconds) of an epoch-ms instant. */
export const toChSeconds = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace("T", " ");
