import { z } from "zod";
import type { DatasetInput, Experiment, MetricPoint, Run, RunInfo } from "@/lib/tracking/types";

/**
 * MLflow's wire entities (service.proto) as zod schemas, and the converters from our domain
 * types. Conventions: snake_case, int64 as JSON numbers, ids as strings, enums by name, unset
 * fields and empty lists omitted, non-finite doubles as "NaN" / "Infinity" / "-Infinity".
 */
export const wireDouble = z.union([z.number(), z.enum(["NaN", "Infinity", "-Infinity"])]);
export type WireDouble = z.infer<typeof wireDouble>;

export function toWireDouble(value: number): WireDouble {
  if (Number.isNaN(value)) return "NaN";
  if (value === Number.POSITIVE_INFINITY) return "Infinity";
  if (value === Number.NEGATIVE_INFINITY) return "-Infinity";
  return value;
}

const keyValue = z.object({ key: z.string(), value: z.string() });

export const wireMetric = z.object({ key: z.string(), value: wireDouble, timestamp: z.number().int(), step: z.number().int() });
export const wireMetricWithRunId = wireMetric.extend({ run_id: z.string() });

export const wireExperiment = z.object({
  experiment_id: z.string(),
  name: z.string(),
  artifact_location: z.string().optional(),
  lifecycle_stage: z.string(),
  last_update_time: z.number().int(),
  creation_time: z.number().int(),
  tags: z.array(keyValue).optional(),
});

export const wireRunInfo = z.object({
  run_id: z.string(),
  run_uuid: z.string(),
  run_name: z.string(),
  experiment_id: z.string(),
  user_id: z.string(),
  status: z.string(),
  start_time: z.number().int(),
  end_time: z.number().int().optional(),
  artifact_uri: z.string(),
  lifecycle_stage: z.string(),
});

const wireDataset = z.object({
  name: z.string(),
  digest: z.string(),
  source_type: z.string(),
  source: z.string(),
  schema: z.string().optional(),
  profile: z.string().optional(),
});

export const wireRun = z.object({
  info: wireRunInfo,
  data: z.object({ metrics: z.array(wireMetric).optional(), params: z.array(keyValue).optional(), tags: z.array(keyValue).optional() }),
  inputs: z.object({
    dataset_inputs: z.array(z.object({ tags: z.array(keyValue).optional(), dataset: wireDataset })).optional(),
    model_inputs: z.array(z.object({ model_id: z.string() })).optional(),
  }),
  outputs: z.object({ model_outputs: z.array(z.object({ model_id: z.string(), step: z.number().int() })).optional() }).optional(),
});

/** Repeated fields are left out when empty, as protobuf's JSON printer does. */
export const nonEmpty = <T>(items: T[]): T[] | undefined => (items.length > 0 ? items : undefined);

export function toWireMetric(m: MetricPoint): z.infer<typeof wireMetric> {
  return { key: m.key, value: toWireDouble(m.value), timestamp: m.timestamp, step: m.step };
}

export function toWireExperiment(e: Experiment): z.infer<typeof wireExperiment> {
  return {
    experiment_id: e.experimentId,
    name: e.name,
    artifact_location: e.artifactLocation ?? undefined,
    lifecycle_stage: e.lifecycleStage,
    last_update_time: e.lastUpdateTime,
    creation_time: e.creationTime,
    tags: nonEmpty(e.tags),
  };
}

export function toWireRunInfo(info: RunInfo): z.infer<typeof wireRunInfo> {
  return {
    run_id: info.runId,
    run_uuid: info.runId,
    run_name: info.runName,
    experiment_id: info.experimentId,
    user_id: info.userId,
    status: info.status,
    start_time: info.startTime,
    end_time: info.endTime ?? undefined,
    artifact_uri: info.artifactUri,
    lifecycle_stage: info.lifecycleStage,
  };
}

function toWireDatasetInput({ dataset, tags }: DatasetInput) {
  return {
    tags: nonEmpty(tags),
    dataset: {
      name: dataset.name,
      digest: dataset.digest,
      source_type: dataset.sourceType,
      source: dataset.source,
      schema: dataset.schema ?? undefined,
      profile: dataset.profile ?? undefined,
    },
  };
}

export function toWireRun(run: Run): z.infer<typeof wireRun> {
  return {
    info: toWireRunInfo(run.info),
    data: {
      metrics: nonEmpty(run.data.metrics.map(toWireMetric)),
      params: nonEmpty(run.data.params),
      tags: nonEmpty(run.data.tags),
    },
    inputs: {
      dataset_inputs: nonEmpty(run.inputs.datasetInputs.map(toWireDatasetInput)),
      model_inputs: nonEmpty(run.inputs.modelInputs.map((m) => ({ model_id: m.modelId }))),
    },
    outputs: run.outputs.modelOutputs.length
      ? { model_outputs: run.outputs.modelOutputs.map((m) => ({ model_id: m.modelId, step: m.step })) }
      : undefined,
  };
}
