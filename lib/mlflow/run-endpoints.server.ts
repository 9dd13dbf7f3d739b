import "server-only";
import { z } from "zod";
import { SEARCH_MAX_RESULTS_DEFAULT } from "@/lib/tracking/experiments.server";
import {
  logBatch as writeBatch,
  logInputs as writeInputs,
  logMetric as writeMetric,
  logParam as writeParam,
} from "@/lib/tracking/logging.server";
import {
  MAX_RESULTS_PER_RUN,
  MAX_RUNS_BULK_INTERVAL,
  getMetricHistory as readHistory,
  getMetricHistoryBulkInterval as readBulkInterval,
} from "@/lib/tracking/metric-history.server";
import {
  createRun as create,
  deleteRun as remove,
  deleteRunTag,
  getRun as get,
  restoreRun as restore,
  setRunTag,
  updateRun as update,
} from "@/lib/tracking/runs.server";
import { searchRuns as search } from "@/lib/tracking/search-runs.server";
import { RUN_STATUSES, RUN_STATUS_NUMBERS } from "@/lib/tracking/types";
import { validateBatchRequestSize } from "@/lib/tracking/validation";
import { linkModelMetrics, requireLinkedModels } from "@/lib/logged-models/links.server";
import type { ModelMetricPoint } from "@/lib/logged-models/types";
import { nonEmpty, toWireMetric, toWireRun, toWireRunInfo, wireMetric, wireMetricWithRunId, wireRun, wireRunInfo } from "./entities";
import { invalidParameter } from "@/lib/stores/mlflow-errors";
import { INVALID, double, int64, protoEnum, repeated, requiredStr, str } from "./fields";
import { endpoint } from "./http.server";
import { viewType } from "./experiment-endpoints.server";

/** /mlflow/runs/* and /mlflow/metrics/* (service.proto): thin adapters from request messages to lib/tracking. */
const empty = z.object({});
const tag = z.object({ key: requiredStr, value: str.optional().default("") });
const runRef = { run_id: str.optional(), run_uuid: str.optional() };

/** `run_id`, or the deprecated `run_uuid` that older clients (and the npm client) still send. */
function runIdOf(input: { run_id?: string; run_uuid?: string }): string {
  const id = input.run_id || input.run_uuid;
  if (!id)
    throw invalidParameter(
      "Missing value for required parameter 'run_id'. See the API docs for more information about request parameters.",
    );
  return id;
}

export const createRun = endpoint({
  request: z.object({
    experiment_id: str.optional(),
    user_id: str.optional(),
    run_name: str.optional(),
    start_time: int64.optional(),
    tags: repeated(tag),
  }),
  response: z.object({ run: wireRun }),
  handle: async ({ ctx, input }) => {
    const run = await create({
      ctx,
      input: {
        experimentId: input.experiment_id,
        userId: input.user_id,
        runName: input.run_name,
        startTime: input.start_time,
        tags: input.tags,
      },
    });
    return { run: toWireRun(run) };
  },
});

export const getRun = endpoint({
  request: z.object(runRef),
  response: z.object({ run: wireRun }),
  handle: async ({ ctx, input }) => ({ run: toWireRun(await get({ ctx, input: { runId: runIdOf(input) } })) }),
});

export const updateRun = endpoint({
  request: z.object({
    ...runRef,
    status: protoEnum(RUN_STATUSES, RUN_STATUS_NUMBERS).optional(),
    end_time: int64.optional(),
    run_name: str.optional(),
  }),
  response: z.object({ run_info: wireRunInfo }),
  handle: async ({ ctx, input }) => {
    const info = await update({
      ctx,
      input: { runId: runIdOf(input), status: input.status, endTime: input.end_time, runName: input.run_name },
    });
    return { run_info: toWireRunInfo(info) };
  },
});

export const deleteRun = endpoint({
  request: z.object(runRef),
  response: empty,
  handle: async ({ ctx, input }) => {
    await remove({ ctx, input: { runId: runIdOf(input) } });
    return {};
  },
});

export const restoreRun = endpoint({
  request: z.object(runRef),
  response: empty,
  handle: async ({ ctx, input }) => {
    await restore({ ctx, input: { runId: runIdOf(input) } });
    return {};
  },
});

const metric = z.object({
  key: requiredStr,
  value: double,
  timestamp: int64,
  step: int64.optional().default(0),
  // MLflow 3: a metric may also describe a logged model, on a dataset.
  model_id: str.optional(),
  dataset_name: str.optional(),
  dataset_digest: str.optional(),
});
type WireMetricIn = z.output<typeof metric>;

const modelPoints = (metrics: WireMetricIn[]): ModelMetricPoint[] =>
  metrics.flatMap((m) =>
    m.model_id
      ? [
          {
            key: m.key,
            value: m.value,
            timestamp: m.timestamp,
            step: m.step,
            modelId: m.model_id,
            datasetName: m.dataset_name,
            datasetDigest: m.dataset_digest,
          },
        ]
      : [],
  );
const plainPoint = ({ key, value, timestamp, step }: WireMetricIn) => ({ key, value, timestamp, step });

export const logMetric = endpoint({
  request: z.object({ ...runRef, ...metric.shape }),
  response: empty,
  handle: async ({ ctx, input }) => {
    const linked = modelPoints([input]);
    await requireLinkedModels(ctx.db, linked);
    await writeMetric({ ctx, input: { runId: runIdOf(input), metric: plainPoint(input) } });
    await linkModelMetrics(ctx.db, runIdOf(input), linked);
    return {};
  },
});

export const logParameter = endpoint({
  request: z.object({ ...runRef, key: requiredStr, value: str.optional().default("") }),
  response: empty,
  handle: async ({ ctx, input }) => {
    await writeParam({ ctx, input: { runId: runIdOf(input), param: { key: input.key, value: input.value } } });
    return {};
  },
});

export const setTag = endpoint({
  request: z.object({ ...runRef, key: requiredStr, value: str.optional().default("") }),
  response: empty,
  handle: async ({ ctx, input }) => {
    await setRunTag({ ctx, input: { runId: runIdOf(input), tag: { key: input.key, value: input.value } } });
    return {};
  },
});

export const deleteTag = endpoint({
  request: z.object({ ...runRef, key: requiredStr }),
  response: empty,
  handle: async ({ ctx, input }) => {
    await deleteRunTag({ ctx, input: { runId: runIdOf(input), key: input.key } });
    return {};
  },
});

export const logBatch = endpoint({
  request: z.object({ ...runRef, metrics: repeated(metric), params: repeated(tag), tags: repeated(tag) }),
  response: empty,
  handle: async ({ ctx, input, bodyBytes }) => {
    validateBatchRequestSize(bodyBytes);
    const linked = modelPoints(input.metrics);
    await requireLinkedModels(ctx.db, linked);
    await writeBatch({
      ctx,
      input: { runId: runIdOf(input), metrics: input.metrics.map(plainPoint), params: input.params, tags: input.tags },
    });
    await linkModelMetrics(ctx.db, runIdOf(input), linked);
    return {};
  },
});

const datasetInput = z.object({
  tags: repeated(z.object({ key: requiredStr, value: requiredStr })),
  dataset: z.object({
    name: requiredStr,
    digest: requiredStr,
    source_type: requiredStr,
    source: requiredStr,
    schema: str.optional(),
    profile: str.optional(),
  }),
});

export const logInputs = endpoint({
  request: z.object({ ...runRef, datasets: repeated(datasetInput), models: repeated(z.object({ model_id: requiredStr })) }),
  response: empty,
  handle: async ({ ctx, input }) => {
    const datasets = input.datasets.map(({ tags, dataset }) => ({
      tags,
      dataset: {
        name: dataset.name,
        digest: dataset.digest,
        sourceType: dataset.source_type,
        source: dataset.source,
        schema: dataset.schema ?? null,
        profile: dataset.profile ?? null,
      },
    }));
    await writeInputs({ ctx, input: { runId: runIdOf(input), datasets, models: input.models.map((m) => m.model_id) } });
    return {};
  },
});

const maxRunResults = int64.refine((n) => n <= 50000, INVALID);

export const searchRuns = endpoint({
  request: z.object({
    experiment_ids: repeated(z.union([z.string(), z.number().int()]).transform(String)),
    filter: str.optional(),
    run_view_type: viewType.optional(),
    max_results: maxRunResults.optional(),
    order_by: repeated(str),
    page_token: str.optional(),
  }),
  response: z.object({ runs: z.array(wireRun).optional(), next_page_token: z.string().optional() }),
  handle: async ({ ctx, input }) => {
    const result = await search({
      ctx,
      input: {
        experimentIds: input.experiment_ids,
        filter: input.filter,
        viewType: input.run_view_type ?? "ACTIVE_ONLY",
        maxResults: input.max_results ?? SEARCH_MAX_RESULTS_DEFAULT,
        orderBy: input.order_by,
        pageToken: input.page_token,
      },
    });
    return { runs: nonEmpty(result.runs.map(toWireRun)), next_page_token: result.nextPageToken };
  },
});

export const getMetricHistory = endpoint({
  request: z.object({ ...runRef, metric_key: requiredStr, page_token: str.optional(), max_results: int64.optional() }),
  response: z.object({ metrics: z.array(wireMetric).optional(), next_page_token: z.string().optional() }),
  handle: async ({ ctx, input }) => {
    const result = await readHistory({
      ctx,
      input: { runId: runIdOf(input), key: input.metric_key, maxResults: input.max_results, pageToken: input.page_token },
    });
    return { metrics: nonEmpty(result.metrics.map(toWireMetric)), next_page_token: result.nextPageToken };
  },
});

export const getMetricHistoryBulkInterval = endpoint({
  request: z.object({
    run_ids: repeated(z.string()).superRefine((ids, issues) => {
      if (ids.length > MAX_RUNS_BULK_INTERVAL) {
        issues.addIssue({
          code: "custom",
          message: `GetMetricHistoryBulkInterval request must specify at most ${MAX_RUNS_BULK_INTERVAL} run_ids. Received ${ids.length} run_ids.`,
        });
      }
    }),
    metric_key: requiredStr,
    start_step: int64.optional(),
    end_step: int64.optional(),
    max_results: int64
      .refine((n) => n >= 1 && n <= MAX_RESULTS_PER_RUN, `max_results must be between 1 and ${MAX_RESULTS_PER_RUN}.`)
      .optional(),
  }),
  response: z.object({ metrics: z.array(wireMetricWithRunId).optional() }),
  handle: async ({ ctx, input }) => {
    const points = await readBulkInterval({
      ctx,
      input: {
        runIds: input.run_ids,
        key: input.metric_key,
        startStep: input.start_step,
        endStep: input.end_step,
        maxResults: input.max_results ?? MAX_RESULTS_PER_RUN,
      },
    });
    return { metrics: nonEmpty(points.map((p) => ({ ...toWireMetric(p), run_id: p.runId }))) };
  },
});
