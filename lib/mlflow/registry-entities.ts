import { z } from "zod";
import type { ModelVersion, RegisteredModel } from "@/lib/registry/types";
import { nonEmpty } from "./entities";

/** MLflow's registry entities (model_registry.proto): versions are strings on the wire. */
const keyValue = z.object({ key: z.string(), value: z.string() });

export const wireModelVersion = z.object({
  name: z.string(),
  version: z.string(),
  creation_timestamp: z.number().int(),
  last_updated_timestamp: z.number().int(),
  user_id: z.string().optional(),
  current_stage: z.string(),
  description: z.string().optional(),
  source: z.string().optional(),
  run_id: z.string().optional(),
  status: z.enum(["PENDING_REGISTRATION", "FAILED_REGISTRATION", "READY"]),
  status_message: z.string().optional(),
  tags: z.array(keyValue).optional(),
  run_link: z.string().optional(),
  aliases: z.array(z.string()).optional(),
  model_id: z.string().optional(),
});

export const wireRegisteredModel = z.object({
  name: z.string(),
  creation_timestamp: z.number().int(),
  last_updated_timestamp: z.number().int(),
  description: z.string().optional(),
  latest_versions: z.array(wireModelVersion).optional(),
  tags: z.array(keyValue).optional(),
  aliases: z.array(z.object({ alias: z.string(), version: z.string() })).optional(),
});

const orUndefined = (value: string | null) => value ?? undefined;

export function toWireModelVersion(v: ModelVersion): z.infer<typeof wireModelVersion> {
  return {
    name: v.name,
    version: String(v.version),
    creation_timestamp: v.creationTimestamp,
    last_updated_timestamp: v.lastUpdatedTimestamp,
    user_id: orUndefined(v.userId),
    current_stage: v.currentStage,
    description: orUndefined(v.description),
    source: orUndefined(v.source),
    run_id: orUndefined(v.runId),
    status: v.status === "PENDING_REGISTRATION" || v.status === "FAILED_REGISTRATION" ? v.status : "READY",
    status_message: orUndefined(v.statusMessage),
    tags: nonEmpty(v.tags),
    run_link: orUndefined(v.runLink),
    aliases: nonEmpty(v.aliases),
    model_id: orUndefined(v.modelId),
  };
}

export function toWireRegisteredModel(m: RegisteredModel): z.infer<typeof wireRegisteredModel> {
  return {
    name: m.name,
    creation_timestamp: m.creationTimestamp,
    last_updated_timestamp: m.lastUpdatedTimestamp,
    description: orUndefined(m.description),
    latest_versions: nonEmpty(m.latestVersions.map(toWireModelVersion)),
    tags: nonEmpty(m.tags),
    aliases: nonEmpty(m.aliases.map((a) => ({ alias: a.alias, version: String(a.version) }))),
  };
}
