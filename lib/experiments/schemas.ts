import { z } from "zod";

/**
 * Shapes shared by the experiments/runs pages, their loaders and their JSON routes: the URL state
 * each page keeps (parsed the same way on the server to prefetch and in the browser to render) and
 * the replies the routes send. Metric values travel as numbers, or as "NaN"/"Infinity"/"-Infinity"
 * because JSON has no literal for them.
 */
const many = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => (Array.isArray(v) ? v : [v]).filter(Boolean))
  .default([]);

export const VIEWS = ["active", "deleted", "all"] as const;
export type View = (typeof VIEWS)[number];

export const experimentsState = z.object({
  q: z.string().max(500).default(""),
  view: z.enum(VIEWS).default("active"),
  sort: z.enum(["name", "created", "activity", "runs"]).default("activity"),
  dir: z.enum(["asc", "desc"]).default("desc"),
});
export type ExperimentsState = z.output<typeof experimentsState>;

export const PAGE_SIZES = [25, 50, 100, 200] as const;

export const runsState = z.object({
  /** Experiments shown together (the /experiments/runs page); a single-experiment page fixes it. */
  exp: many,
  filter: z.string().max(4000).default(""),
  /** A column id (see columns.ts), e.g. `attr:start_time`, `metric:val_loss`. */
  sort: z.string().max(300).default("attr:start_time"),
  dir: z.enum(["asc", "desc"]).default("desc"),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  size: z.coerce
    .number()
    .int()
    .refine((n) => (PAGE_SIZES as readonly number[]).includes(n), "page size must be 25, 50, 100 or 200")
    .default(50),
  /** Extra columns chosen in the column chooser (column ids). */
  cols: many,
  view: z.enum(VIEWS).default("active"),
});
export type RunsState = z.output<typeof runsState>;

export const metricValue = z.union([z.number(), z.enum(["NaN", "Infinity", "-Infinity"])]);
export type MetricValue = z.output<typeof metricValue>;

export function encodeMetric(value: number): MetricValue {
  if (Number.isNaN(value)) return "NaN";
  if (value === Number.POSITIVE_INFINITY) return "Infinity";
  if (value === Number.NEGATIVE_INFINITY) return "-Infinity";
  return value;
}

export function decodeMetric(value: MetricValue | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === "number") return value;
  return value === "NaN" ? Number.NaN : value === "Infinity" ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
}

export const experimentSummary = z.object({
  experimentId: z.string(),
  name: z.string(),
  lifecycleStage: z.string(),
  creationTime: z.number(),
  lastUpdateTime: z.number(),
  runCount: z.number(),
  /** Start time of the newest run, or null when the experiment has none. */
  lastRunTime: z.number().nullable(),
  description: z.string().nullable(),
});
export type ExperimentSummary = z.output<typeof experimentSummary>;

export const experimentsReply = z.object({ experiments: z.array(experimentSummary) });
export type ExperimentsReply = z.output<typeof experimentsReply>;

const datasetRef = z.object({ name: z.string(), digest: z.string(), context: z.string().nullable() });
const versionRef = z.object({ name: z.string(), version: z.number(), isPrompt: z.boolean() });

export const runRow = z.object({
  runId: z.string(),
  runName: z.string(),
  experimentId: z.string(),
  userId: z.string(),
  status: z.string(),
  startTime: z.number(),
  endTime: z.number().nullable(),
  lifecycleStage: z.string(),
  parentRunId: z.string().nullable(),
  childCount: z.number(),
  datasets: z.array(datasetRef),
  models: z.array(versionRef),
  metrics: z.record(z.string(), metricValue),
  params: z.record(z.string(), z.string()),
  tags: z.record(z.string(), z.string()),
});
export type RunRowData = z.output<typeof runRow>;

export const runsReply = z.object({
  runs: z.array(runRow),
  /** Matches of the filter over the experiments asked for (all pages). */
  total: z.number(),
  hasNext: z.boolean(),
});
export type RunsReply = z.output<typeof runsReply>;

export const columnsReply = z.object({ metrics: z.array(z.string()), params: z.array(z.string()), tags: z.array(z.string()) });
export type ColumnsReply = z.output<typeof columnsReply>;

/** Lists in a JSON route's query string are comma-separated (ids never hold commas). */
export const idList = z
  .string()
  .max(20_000)
  .default("")
  .transform((s) =>
    s
      .split(",")
      .map((x) => x.trim())
      .filter(Boolean),
  );

/** GET /api/experiments/runs: the runs page state with lists flattened. */
export const runsQuery = runsState.omit({ exp: true, cols: true }).extend({ exp: idList });

export const MAX_HISTORY_RUNS = 200;
export const MAX_HISTORY_KEYS = 20;

/** GET /api/runs/history: downsampled histories of some runs' metrics. */
export const historyQuery = z.object({
  runs: idList.refine((l) => l.length >= 1 && l.length <= MAX_HISTORY_RUNS, `runs: give 1 to ${MAX_HISTORY_RUNS} run ids, comma-separated`),
  keys: idList.refine(
    (l) => l.length >= 1 && l.length <= MAX_HISTORY_KEYS,
    `keys: give 1 to ${MAX_HISTORY_KEYS} metric keys, comma-separated`,
  ),
  x: z.enum(["step", "time"]).default("step"),
  buckets: z.coerce.number().int().min(10).max(2000).optional(),
});
export type HistoryQuery = z.output<typeof historyQuery>;

export const historyReply = z.object({
  series: z.array(z.object({ runId: z.string(), key: z.string(), points: z.array(z.tuple([z.number(), z.number()])), total: z.number() })),
  buckets: z.number(),
});
export type HistoryReply = z.output<typeof historyReply>;

const datasetInput = z.object({
  name: z.string(),
  digest: z.string(),
  sourceType: z.string(),
  source: z.string(),
  schema: z.string().nullable(),
  profile: z.string().nullable(),
  tags: z.array(z.object({ key: z.string(), value: z.string() })),
});

export const runDetailReply = z.object({
  run: runRow,
  experimentName: z.string(),
  artifactUri: z.string(),
  parent: runRow.nullable(),
  children: z.array(runRow),
  inputs: z.array(datasetInput),
  /** Latest point of each metric, with its step and time. */
  latest: z.array(z.object({ key: z.string(), value: metricValue, step: z.number(), timestamp: z.number() })),
});
export type RunDetailReply = z.output<typeof runDetailReply>;

/** The run-detail and compare pages' chart settings, in the URL. */
export const chartState = z.object({
  x: z.enum(["step", "relative", "wall"]).default("step"),
  smooth: z.coerce.number().min(0).max(0.99).default(0),
  log: z.enum(["0", "1"]).default("0"),
});

/** The compare page's state: runs, charted metrics, parallel-coordinates metric, scatter axes. */
export const compareState = z.object({
  runs: many,
  /** Metrics overlaid as history charts (default: the first four all runs share). */
  m: many,
  /** Metric on the last parallel-coordinates axis. */
  pm: z.string().max(300).default(""),
  px: z.string().max(300).default(""),
  py: z.string().max(300).default(""),
  diff: z.enum(["0", "1"]).default("1"),
});
export type CompareState = z.output<typeof compareState>;
