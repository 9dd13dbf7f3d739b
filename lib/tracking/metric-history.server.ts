import "server-only";
import { invalidParameter } from "@/lib/stores/mlflow-errors";
import type { TrackingContext } from "./context";
import { readMetricHistory, readPointsAtSteps, sampleSteps } from "./history.server";
import { pageOf, parsePageToken } from "./page-token";
import { getRunRow } from "./runs.server";
import type { MetricPoint } from "./types";

export const MAX_RUNS_BULK_INTERVAL = 100;
export const MAX_RESULTS_PER_RUN = 2500;
const MAX_POINTS_PER_RUN = 25000;

/** metrics/get-history: every point of one metric, or one page of them when max_results is given. */
export async function getMetricHistory({
  ctx,
  input,
}: {
  ctx: TrackingContext;
  input: { runId: string; key: string; maxResults?: number; pageToken?: string };
}): Promise<{ metrics: MetricPoint[]; nextPageToken?: string }> {
  await getRunRow(ctx.db, input.runId);
  const offset = parsePageToken(input.pageToken);
  if (input.maxResults !== undefined && input.maxResults < 1) {
    throw invalidParameter(`Invalid value ${input.maxResults} for parameter 'max_results' supplied. It must be a positive integer`);
  }
  const limit = input.maxResults === undefined ? undefined : input.maxResults + 1;
  const points = await readMetricHistory(ctx.clickhouse, { runId: input.runId, key: input.key, offset, limit });
  if (input.maxResults === undefined) return { metrics: points };
  const page = pageOf(points, offset, input.maxResults);
  return { metrics: page.items, nextPageToken: page.nextPageToken };
}

export interface BulkIntervalInput {
  runIds: string[];
  key: string;
  startStep?: number;
  endStep?: number;
  maxResults: number;
}

/**
 * metrics/get-history-bulk-interval: for charts over many runs, at most `maxResults` sampled steps
 * (plus each run's first and last) of one metric, per run in the order asked.
 */
export async function getMetricHistoryBulkInterval({ ctx, input }: { ctx: TrackingContext; input: BulkIntervalInput }) {
  if (input.runIds.length === 0) throw invalidParameter("GetMetricHistoryBulkInterval request must specify at least one run_id.");
  const { startStep: start, endStep: end } = input;
  if (start !== undefined && end !== undefined) {
    if (start > end) {
      throw invalidParameter(`end_step must be greater than start_step. Found start_step=${start} and end_step=${end}.`);
    }
  } else if (start !== undefined || end !== undefined) {
    throw invalidParameter("If either start step or end step are specified, both must be specified.");
  }
  const runIds = [...new Set(input.runIds)];
  const steps = await sampleSteps(ctx.clickhouse, { runIds, key: input.key, start, end, maxResults: input.maxResults });
  return readPointsAtSteps(ctx.clickhouse, { runIds, key: input.key, steps, perRun: MAX_POINTS_PER_RUN });
}
