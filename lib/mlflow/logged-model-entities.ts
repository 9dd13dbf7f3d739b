import { z } from "zod";
import type { LoggedModel } from "@/lib/logged-models/types";
import { nonEmpty, toWireDouble, wireDouble } from "./entities";

/** LoggedModel (service.proto) on the wire: `info` with the attributes and tags, `data` with params and linked metrics. */
const keyValue = z.object({ key: z.string(), value: z.string() });

export const wireLoggedModel = z.object({
  info: z.object({
    model_id: z.string(),
    experiment_id: z.string(),
    name: z.string(),
    creation_timestamp_ms: z.number().int(),
    last_updated_timestamp_ms: z.number().int(),
    artifact_uri: z.string(),
    status: z.string(),
    model_type: z.string().optional(),
    source_run_id: z.string().optional(),
    status_message: z.string().optional(),
    tags: z.array(keyValue).optional(),
  }),
  data: z.object({
    params: z.array(keyValue).optional(),
    metrics: z
      .array(
        z.object({
          key: z.string(),
          value: wireDouble,
          timestamp: z.number().int(),
          step: z.number().int(),
          dataset_name: z.string().optional(),
          dataset_digest: z.string().optional(),
          model_id: z.string(),
          run_id: z.string().optional(),
        }),
      )
      .optional(),
  }),
});

const orUndefined = (value: string | null) => value ?? undefined;

export function toWireLoggedModel(m: LoggedModel): z.infer<typeof wireLoggedModel> {
  return {
    info: {
      model_id: m.modelId,
      experiment_id: m.experimentId,
      name: m.name,
      creation_timestamp_ms: m.creationTime,
      last_updated_timestamp_ms: m.lastUpdatedTime,
      artifact_uri: m.artifactLocation,
      status: m.status,
      model_type: orUndefined(m.modelType),
      source_run_id: orUndefined(m.sourceRunId),
      status_message: orUndefined(m.statusMessage),
      tags: nonEmpty(m.tags),
    },
    data: {
      params: nonEmpty(m.params),
      metrics: nonEmpty(
        m.metrics.map((x) => ({
          key: x.key,
          value: toWireDouble(x.value),
          timestamp: x.timestamp,
          step: x.step,
          dataset_name: orUndefined(x.datasetName),
          dataset_digest: orUndefined(x.datasetDigest),
          model_id: m.modelId,
          run_id: orUndefined(x.runId),
        })),
      ),
    },
  };
}
