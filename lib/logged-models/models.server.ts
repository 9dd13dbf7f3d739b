import "server-only";
import { randomUUID } from "node:crypto";
import { and, eq, inArray, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client.server";
import { loggedModelMetrics, loggedModelParams, loggedModelTags, loggedModels } from "@/db/schema";
import { recordEdges } from "@/lib/lineage/edges.server";
import { RELATIONS } from "@/lib/lineage/relations";
import { MlflowError, invalidParameter, notFound } from "@/lib/stores/mlflow-errors";
import type { TrackingContext } from "@/lib/tracking/context";
import { dedupeByKey, defaultArtifactLocation, getExperimentRow, requireActiveExperiment } from "@/lib/tracking/experiments.server";
import { generateRunName } from "@/lib/tracking/run-names";
import type { KeyValue } from "@/lib/tracking/types";
import { LIMITS, validateLength } from "@/lib/tracking/validation";
import type { LoggedModel, LoggedModelStatus } from "./types";

/**
 * MLflow 3 logged models (sqlalchemy_store.py semantics): created PENDING with artifacts under
 * `<experiment location>/models/<model_id>/artifacts`, finalized READY or UPLOAD_FAILED once the
 * client uploaded them, soft-deleted. Mutators find deleted models too, as MLflow's do.
 */
export type LoggedModelRow = typeof loggedModels.$inferSelect;

const BAD_NAME_CHARACTERS = ["/", ":", ".", "%", '"', "'"];

function validateModelName(name: string | undefined): void {
  if (name === undefined) return;
  if (!name || BAD_NAME_CHARACTERS.some((c) => name.includes(c))) {
    throw invalidParameter(
      `Invalid model name ('${name}') provided. Model name must be a non-empty string and cannot contain the following ` +
        `characters: ('/', ':', '.', '%', '"', "'")`,
    );
  }
}

function validateEntries(kind: "Tag" | "Param", entries: KeyValue[]): void {
  for (const { key, value } of entries) {
    if (!key) throw invalidParameter(`${kind} key must be a non-empty string.`);
    validateLength(`${kind} key`, LIMITS.maxEntityKeyLength, key);
    validateLength(`${kind} value`, kind === "Tag" ? LIMITS.maxTagValueLength : LIMITS.maxParamValueLength, value);
  }
}

export const modelNotFound = (modelId: string) => notFound(`Logged model with ID '${modelId}' not found.`);

export async function getModelRow(db: DbOrTx, modelId: string, allowDeleted = true): Promise<LoggedModelRow> {
  const [row] = await db.select().from(loggedModels).where(eq(loggedModels.modelId, modelId));
  if (!row || (!allowDeleted && row.lifecycleStage === "deleted")) throw modelNotFound(modelId);
  return row;
}

const byKey = (a: { key: string }, b: { key: string }) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/** Full models (tags, params, linked metrics) for rows, in their order. */
export async function loadModels(db: DbOrTx, rows: LoggedModelRow[]): Promise<LoggedModel[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.modelId);
  const [tags, params, metrics] = await Promise.all([
    db.select().from(loggedModelTags).where(inArray(loggedModelTags.modelId, ids)),
    db.select().from(loggedModelParams).where(inArray(loggedModelParams.modelId, ids)),
    db.select().from(loggedModelMetrics).where(inArray(loggedModelMetrics.modelId, ids)),
  ]);
  return rows.map((row) => ({
    modelId: row.modelId,
    experimentId: String(row.experimentId),
    name: row.name,
    artifactLocation: row.artifactLocation,
    creationTime: row.creationTime,
    lastUpdatedTime: row.lastUpdatedTime,
    modelType: row.modelType,
    sourceRunId: row.sourceRunId,
    status: row.status as LoggedModelStatus,
    statusMessage: row.statusMessage,
    lifecycleStage: row.lifecycleStage,
    tags: tags
      .filter((t) => t.modelId === row.modelId)
      .map(({ key, value }) => ({ key, value }))
      .sort(byKey),
    params: params
      .filter((p) => p.modelId === row.modelId)
      .map(({ key, value }) => ({ key, value }))
      .sort(byKey),
    metrics: metrics
      .filter((m) => m.modelId === row.modelId)
      .map((m) => ({
        key: m.key,
        value: m.value,
        timestamp: m.timestamp,
        step: m.step,
        runId: m.runId || null,
        datasetName: m.datasetName || null,
        datasetDigest: m.datasetDigest || null,
      }))
      .sort(byKey),
  }));
}

export async function getLoggedModel({ ctx, input }: { ctx: TrackingContext; input: { modelId: string; allowDeleted?: boolean } }) {
  const [model] = await loadModels(ctx.db, [await getModelRow(ctx.db, input.modelId, input.allowDeleted ?? false)]);
  if (!model) throw modelNotFound(input.modelId);
  return model;
}

export interface CreateLoggedModelInput {
  experimentId: string;
  name?: string;
  modelType?: string;
  sourceRunId?: string;
  params: KeyValue[];
  tags: KeyValue[];
}

export async function createLoggedModel({ ctx, input }: { ctx: TrackingContext; input: CreateLoggedModelInput }): Promise<LoggedModel> {
  validateModelName(input.name);
  validateLength("Source run ID", LIMITS.maxRunIdLength, input.sourceRunId);
  const tags = dedupeByKey(input.tags);
  validateEntries("Tag", tags);
  validateEntries("Param", input.params);
  const modelId = `m-${randomUUID().replaceAll("-", "")}`;
  const now = Date.now();
  await ctx.db.transaction(async (tx) => {
    const experiment = await getExperimentRow(tx, input.experimentId);
    requireActiveExperiment(experiment);
    const location = (experiment.artifactLocation ?? defaultArtifactLocation(experiment.experimentId)).replace(/\/+$/, "");
    await tx.insert(loggedModels).values({
      modelId,
      experimentId: experiment.experimentId,
      name: input.name || generateRunName(),
      artifactLocation: `${location}/models/${modelId}/artifacts`,
      creationTime: now,
      lastUpdatedTime: now,
      modelType: input.modelType || null,
      sourceRunId: input.sourceRunId || null,
      status: "LOGGED_MODEL_PENDING",
    });
    if (tags.length) await tx.insert(loggedModelTags).values(tags.map((t) => ({ modelId, ...t })));
    await insertParams(tx, modelId, input.params);
    if (input.sourceRunId) {
      await recordEdges(tx, [
        { src: { kind: "run", id: input.sourceRunId }, relation: RELATIONS.loggedModel, dst: { kind: "logged_model", id: modelId } },
      ]);
    }
  });
  return getLoggedModel({ ctx, input: { modelId } });
}

/** Params are immutable: the same value again is a no-op, another value MLflow's 400. */
async function insertParams(tx: DbOrTx, modelId: string, params: KeyValue[]): Promise<void> {
  if (params.length === 0) return;
  const seen = new Map<string, string>();
  for (const p of params) {
    if (seen.has(p.key) && seen.get(p.key) !== p.value)
      throw invalidParameter(`Duplicate parameter keys have been submitted: ['${p.key}'].`);
    seen.set(p.key, p.value);
  }
  await tx
    .insert(loggedModelParams)
    .values([...seen].map(([key, value]) => ({ modelId, key, value })))
    .onConflictDoNothing();
  const stored = await tx
    .select()
    .from(loggedModelParams)
    .where(and(eq(loggedModelParams.modelId, modelId), inArray(loggedModelParams.key, [...seen.keys()])));
  const changed = stored.find((row) => seen.get(row.key) !== row.value);
  if (changed) {
    throw invalidParameter(
      `Changing param values is not allowed. Param with key='${changed.key}' was already logged with value='${changed.value}' ` +
        `for model ID='${modelId}'. Attempted logging new value '${seen.get(changed.key) ?? ""}'.`,
    );
  }
}

export async function logLoggedModelParams({ ctx, input }: { ctx: TrackingContext; input: { modelId: string; params: KeyValue[] } }) {
  validateEntries("Param", input.params);
  await ctx.db.transaction(async (tx) => {
    await getModelRow(tx, input.modelId);
    await insertParams(tx, input.modelId, input.params);
  });
}

export async function finalizeLoggedModel({ ctx, input }: { ctx: TrackingContext; input: { modelId: string; status: LoggedModelStatus } }) {
  if (input.status === "LOGGED_MODEL_STATUS_UNSPECIFIED") {
    throw invalidParameter(
      "Invalid value for parameter 'status': a model is finalized as LOGGED_MODEL_READY or LOGGED_MODEL_UPLOAD_FAILED.",
    );
  }
  const row = await getModelRow(ctx.db, input.modelId);
  await ctx.db.update(loggedModels).set({ status: input.status, lastUpdatedTime: Date.now() }).where(eq(loggedModels.modelId, row.modelId));
  return getLoggedModel({ ctx, input: { modelId: row.modelId, allowDeleted: true } });
}

export async function deleteLoggedModel({ ctx, input }: { ctx: TrackingContext; input: { modelId: string } }) {
  const row = await getModelRow(ctx.db, input.modelId);
  await ctx.db
    .update(loggedModels)
    .set({ lifecycleStage: "deleted", lastUpdatedTime: Date.now() })
    .where(eq(loggedModels.modelId, row.modelId));
}

export async function setLoggedModelTags(db: DbOrTx, modelId: string, tags: KeyValue[]): Promise<void> {
  const unique = dedupeByKey(tags);
  validateEntries("Tag", unique);
  const row = await getModelRow(db, modelId);
  if (unique.length === 0) return;
  await db
    .insert(loggedModelTags)
    .values(unique.map((t) => ({ modelId: row.modelId, ...t })))
    .onConflictDoUpdate({ target: [loggedModelTags.modelId, loggedModelTags.key], set: { value: sql`excluded.value` } });
}

export async function deleteLoggedModelTag({ ctx, input }: { ctx: TrackingContext; input: { modelId: string; key: string } }) {
  const row = await getModelRow(ctx.db, input.modelId);
  const deleted = await ctx.db
    .delete(loggedModelTags)
    .where(and(eq(loggedModelTags.modelId, row.modelId), eq(loggedModelTags.key, input.key)))
    .returning({ key: loggedModelTags.key });
  if (deleted.length === 0) {
    throw new MlflowError("RESOURCE_DOES_NOT_EXIST", `No tag with key '${input.key}' found for model with ID '${input.modelId}'.`);
  }
}
