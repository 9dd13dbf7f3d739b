import "server-only";
import type { ClickHouseClient } from "@clickhouse/client";
import { z } from "zod";
import type { MetricPoint } from "./types";

/**
 * The metric history in ClickHouse (db/clickhouse/0002_metric_history.sql): every SQL statement
 * this domain sends to ClickHouse lives here. Values travel as `{name:Type}` parameters; NaN and
 * ±Infinity are written as ClickHouse's float literals and read back through a marker column,
 * because JSON has no literal for them.
 */
function floatLiteral(value: number): number | string {
  if (Number.isNaN(value)) return "nan";
  if (value === Number.POSITIVE_INFINITY) return "inf";
  if (value === Number.NEGATIVE_INFINITY) return "-inf";
  return value;
}

export async function insertMetricHistory(clickhouse: ClickHouseClient, runId: string, metrics: MetricPoint[]): Promise<void> {
  if (metrics.length === 0) return;
  await clickhouse.insert({
    table: "metric_history",
    columns: ["run_id", "key", "value", "timestamp", "step"],
    values: metrics.map((m) => [runId, m.key, floatLiteral(m.value), m.timestamp, m.step]),
    format: "JSONCompactEachRow",
  });
}

const SPECIAL = "multiIf(isNaN(value), 'NaN', value = inf, 'Infinity', value = -inf, '-Infinity', '') AS special";
const pointRow = z.object({
  run_id: z.string().optional(),
  key: z.string(),
  value: z.number().nullable(),
  timestamp: z.union([z.string(), z.number()]).transform(Number),
  step: z.union([z.string(), z.number()]).transform(Number),
  special: z.string(),
});
const SPECIAL_VALUES: Record<string, number> = {
  NaN: Number.NaN,
  Infinity: Number.POSITIVE_INFINITY,
  "-Infinity": Number.NEGATIVE_INFINITY,
};

function toPoint(row: z.infer<typeof pointRow>): MetricPoint & { runId: string } {
  return {
    runId: row.run_id ?? "",
    key: row.key,
    value: SPECIAL_VALUES[row.special] ?? row.value ?? Number.NaN,
    timestamp: row.timestamp,
    step: row.step,
  };
}

async function rows(clickhouse: ClickHouseClient, query: string, params: Record<string, unknown>) {
  const result = await clickhouse.query({ query, query_params: params, format: "JSONEachRow" });
  return z
    .array(pointRow)
    .parse(await result.json())
    .map(toPoint);
}

/** One metric of one run in MLflow's order (timestamp, step, value); `limit` undefined means all. */
export async function readMetricHistory(
  clickhouse: ClickHouseClient,
  input: { runId: string; key: string; offset: number; limit?: number },
): Promise<MetricPoint[]> {
  const page = input.limit === undefined ? "" : "LIMIT {limit:UInt64} OFFSET {offset:UInt64}";
  const points = await rows(
    clickhouse,
    `SELECT DISTINCT key, value, timestamp, step, ${SPECIAL}
     FROM metric_history WHERE run_id = {run:String} AND key = {key:String}
     ORDER BY timestamp, step, value ${page}`,
    { run: input.runId, key: input.key, limit: input.limit, offset: input.offset },
  );
  const slice = input.limit === undefined ? points.slice(input.offset) : points;
  return slice.map(({ key, value, timestamp, step }) => ({ key, value, timestamp, step }));
}

/**
 * MLflow's get-history-bulk-interval sampling, done inside ClickHouse so that runs with millions
 * of steps never travel: up to `maxResults` steps evenly spread over the distinct steps of all
 * runs in [start, end], plus the last one, plus each run's own first and last step.
 */
export async function sampleSteps(
  clickhouse: ClickHouseClient,
  input: { runIds: string[]; key: string; start?: number; end?: number; maxResults: number },
): Promise<number[]> {
  const bounds = z.array(
    z.object({ lo: z.union([z.string(), z.number()]).transform(Number), hi: z.union([z.string(), z.number()]).transform(Number) }),
  );
  const perRun = bounds.parse(
    await (
      await clickhouse.query({
        query: `SELECT min(step) AS lo, max(step) AS hi FROM metric_history
                WHERE run_id IN {runs:Array(String)} AND key = {key:String} GROUP BY run_id`,
        query_params: { runs: input.runIds, key: input.key },
        format: "JSONEachRow",
      })
    ).json(),
  );
  if (perRun.length === 0) return [];
  const start = input.start ?? 0;
  const end = input.end ?? Math.max(...perRun.map((r) => r.hi));
  const sampled = z.array(z.object({ steps: z.array(z.union([z.string(), z.number()]).transform(Number)) })).parse(
    await (
      await clickhouse.query({
        query: `WITH arraySort(groupUniqArray(step)) AS s, length(s) AS n
                SELECT if(n <= {max:UInt32}, s,
                  arrayConcat(arrayMap(i -> s[toUInt64(floor(i * n / {max:UInt32})) + 1], range({max:UInt32})), [s[n]])) AS steps
                FROM metric_history
                WHERE run_id IN {runs:Array(String)} AND key = {key:String} AND step >= {start:Int64} AND step <= {end:Int64}`,
        query_params: { runs: input.runIds, key: input.key, start, end, max: input.maxResults },
        format: "JSONEachRow",
      })
    ).json(),
  );
  const steps = new Set(sampled[0]?.steps ?? []);
  for (const { lo, hi } of perRun) for (const step of [lo, hi]) if (step >= start && step <= end) steps.add(step);
  return [...steps].sort((a, b) => a - b);
}

/** The points of the given runs at the given steps, run by run in request order, at most `perRun` each. */
export async function readPointsAtSteps(
  clickhouse: ClickHouseClient,
  input: { runIds: string[]; key: string; steps: number[]; perRun: number },
): Promise<(MetricPoint & { runId: string })[]> {
  if (input.steps.length === 0 || input.runIds.length === 0) return [];
  return rows(
    clickhouse,
    `SELECT DISTINCT run_id, key, value, timestamp, step, ${SPECIAL}
     FROM metric_history
     WHERE run_id IN {runs:Array(String)} AND key = {key:String} AND step IN {steps:Array(Int64)}
     ORDER BY indexOf({runs:Array(String)}, run_id), step, timestamp, value
     LIMIT {per:UInt64} BY run_id`,
    { runs: input.runIds, key: input.key, steps: input.steps, per: input.perRun },
  );
}

const bucketRow = z.object({
  run_id: z.string(),
  key: z.string(),
  x_lo: z.union([z.string(), z.number()]).transform(Number),
  y_lo: z.number(),
  x_hi: z.union([z.string(), z.number()]).transform(Number),
  y_hi: z.number(),
  x_first: z.union([z.string(), z.number()]).transform(Number),
  y_first: z.number(),
  x_last: z.union([z.string(), z.number()]).transform(Number),
  y_last: z.number(),
  n: z.union([z.string(), z.number()]).transform(Number),
});
export type HistoryBucket = z.output<typeof bucketRow>;

/**
 * Histories of several runs and keys reduced inside ClickHouse for charts (M4): the x range of
 * each (run, key) is cut into `buckets` equal slices, each returning its first, last, minimum and
 * maximum point, so a million-step history travels as at most 4 × buckets points, spikes survive
 * and the line still starts and ends where the data does. `x` is the
 * step or the timestamp. Non-finite values (NaN, ±Infinity) cannot be drawn and are left out.
 */
export async function readHistoryBuckets(
  clickhouse: ClickHouseClient,
  input: { runIds: string[]; keys: string[]; x: "step" | "time"; buckets: number },
): Promise<HistoryBucket[]> {
  if (input.runIds.length === 0 || input.keys.length === 0) return [];
  const result = await clickhouse.query({
    query: `SELECT run_id, key,
              argMin(x, value) AS x_lo, min(value) AS y_lo, argMax(x, value) AS x_hi, max(value) AS y_hi,
              min(x) AS x_first, argMin(value, x) AS y_first, max(x) AS x_last, argMax(value, x) AS y_last, count() AS n,
              toUInt32(if(hi = lo, 0, least(toInt64({buckets:UInt32}) - 1, intDiv((x - lo) * {buckets:UInt32}, hi - lo)))) AS bucket
            FROM (
              SELECT run_id, key, x, value, min(x) OVER w AS lo, max(x) OVER w AS hi
              FROM (
                SELECT DISTINCT run_id, key, if({time:UInt8} = 1, timestamp, step) AS x, value, step, timestamp
                FROM metric_history
                WHERE run_id IN {runs:Array(String)} AND key IN {keys:Array(String)} AND isFinite(value)
              )
              WINDOW w AS (PARTITION BY run_id, key)
            )
            GROUP BY run_id, key, bucket
            ORDER BY run_id, key, bucket`,
    query_params: { runs: input.runIds, keys: input.keys, buckets: input.buckets, time: input.x === "time" ? 1 : 0 },
    format: "JSONEachRow",
  });
  return z.array(bucketRow).parse(await result.json());
}
