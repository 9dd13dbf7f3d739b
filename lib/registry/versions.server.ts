import "server-only";
import { and, asc, eq, inArray, ne, sql } from "drizzle-orm";
import { clip } from "@/lib/http/clip";
import type { DbOrTx } from "@/db/client.server";
import { modelVersionTags, modelVersions, registeredModelAliases, registeredModelTags, registeredModels } from "@/db/schema";
import { recordEdges, type Edge } from "@/lib/lineage/edges.server";
import { versionNodeId, type NodeKind } from "@/lib/lineage/nodes";
import { RELATIONS } from "@/lib/lineage/relations";
import { invalidParameter, notFound } from "@/lib/stores/mlflow-errors";
import type { TrackingContext } from "@/lib/tracking/context";
import { pageOf, parsePageToken } from "@/lib/tracking/page-token";
import type { KeyValue } from "@/lib/tracking/types";
import { LIMITS, validateLength, validateRegistryTag } from "@/lib/tracking/validation";
import { validateMaxResults } from "@/lib/tracking/experiments.server";
import { IS_PROMPT_TAG, PROMPT_ASSOCIATED_RUN_IDS_TAG } from "./prompts";
import { createModelVersion as nextVersion } from "./repo.server";
import { getModelRow } from "@/lib/logged-models/models.server";
import { recordModelVersion } from "@/lib/logged-models/links.server";
import { parseVersionFilter, versionClauseSql, versionOrderSql } from "./search";
import { STAGES, type ModelVersion, type Stage } from "./types";

export type VersionRow = typeof modelVersions.$inferSelect;
export const SEARCH_VERSIONS_MAX_RESULTS_DEFAULT = 10000;
export const SEARCH_VERSIONS_MAX_RESULTS_THRESHOLD = 200000;

/** Versions are Postgres integers: a number past 2^31 - 1 names no version. */
const MAX_VERSION = 2_147_483_647;

export function parseVersion(version: string): number {
  if (!/^\d+$/.test(version)) throw invalidParameter(`Model version must be an integer, got '${clip(version)}'`);
  if (Number(version) > MAX_VERSION) throw invalidParameter(`Model version must be at most ${MAX_VERSION}, got '${clip(version)}'`);
  return Number(version);
}

/** MLflow's stage names, matched case-insensitively (`production` → `Production`). */
export function canonicalStage(stage: string): Stage {
  const found = STAGES.find((s) => s.toLowerCase() === stage.toLowerCase());
  if (!found) throw invalidParameter(`Invalid Model Version stage: ${stage}. Value must be one of ${STAGES.join(", ")}.`);
  return found;
}

export async function requireModel(db: DbOrTx, name: string) {
  const [row] = await db.select().from(registeredModels).where(eq(registeredModels.name, name));
  if (!row) throw notFound(`Registered Model with name=${name} not found`);
  return row;
}

export async function getVersionRow(db: DbOrTx, name: string, version: number): Promise<VersionRow> {
  const [row] = await db
    .select()
    .from(modelVersions)
    .where(and(eq(modelVersions.name, name), eq(modelVersions.version, version)));
  if (!row) throw notFound(`Model Version (name=${name}, version=${version}) not found`);
  return row;
}

/** Full versions (tags, and aliases unless asked not to) for rows, in their order. */
export async function loadVersions(db: DbOrTx, rows: VersionRow[], withAliases = true): Promise<ModelVersion[]> {
  if (rows.length === 0) return [];
  const names = [...new Set(rows.map((r) => r.name))];
  const versions = [...new Set(rows.map((r) => r.version))];
  const [tags, aliases] = await Promise.all([
    db
      .select()
      .from(modelVersionTags)
      .where(and(inArray(modelVersionTags.name, names), inArray(modelVersionTags.version, versions)))
      .orderBy(asc(modelVersionTags.key)),
    withAliases
      ? db
          .select()
          .from(registeredModelAliases)
          .where(inArray(registeredModelAliases.name, names))
          .orderBy(asc(registeredModelAliases.alias))
      : [],
  ]);
  return rows.map((row) => ({
    name: row.name,
    version: row.version,
    creationTimestamp: row.creationTime,
    lastUpdatedTimestamp: row.lastUpdatedTime,
    userId: row.userId,
    currentStage: row.currentStage,
    description: row.description,
    source: row.source,
    runId: row.runId,
    status: row.status,
    statusMessage: row.statusMessage,
    runLink: row.runLink,
    modelId: row.modelId,
    tags: tags.filter((t) => t.name === row.name && t.version === row.version).map(({ key, value }) => ({ key, value })),
    aliases: aliases.filter((a) => a.name === row.name && a.version === row.version).map((a) => a.alias),
  }));
}

async function isPrompt(db: DbOrTx, name: string): Promise<boolean> {
  const [tag] = await db
    .select({ value: registeredModelTags.value })
    .from(registeredModelTags)
    .where(and(eq(registeredModelTags.name, name), eq(registeredModelTags.key, IS_PROMPT_TAG)));
  return tag?.value.toLowerCase() === "true";
}

/** Lineage of a version: the run it came from, and (for prompts) the runs that used it. */
async function recordVersionLineage(db: DbOrTx, name: string, version: number, runId: string | null, tags: KeyValue[]): Promise<void> {
  const kind: NodeKind = (await isPrompt(db, name)) ? "prompt_version" : "model_version";
  const node = { kind, id: versionNodeId(name, version) };
  const edges: Edge[] = runId ? [{ src: node, relation: RELATIONS.sourceRun, dst: { kind: "run", id: runId } }] : [];
  for (const tag of tags.filter((t) => t.key === PROMPT_ASSOCIATED_RUN_IDS_TAG)) {
    for (const id of tag.value.split(/[,\s]+/).filter(Boolean))
      edges.push({ src: node, relation: RELATIONS.usedBy, dst: { kind: "run", id } });
  }
  await recordEdges(db, edges);
}

export interface CreateVersionInput {
  name: string;
  source: string;
  runId?: string;
  runLink?: string;
  description?: string;
  /** The logged model it comes from (MLflow 3 `models:/m-…` sources). */
  modelId?: string;
  tags: KeyValue[];
}

/** `models:/m-…`: the logged model a version's source names (MLflow 3), by its id. */
const LOGGED_MODEL_SOURCE = /^models:\/(m-[0-9a-f]{32})\/?$/;

export async function createVersion({ ctx, input }: { ctx: TrackingContext; input: CreateVersionInput }): Promise<ModelVersion> {
  input.tags.forEach((t) => validateRegistryTag("Model version", t));
  validateLength("Run ID", LIMITS.maxRunIdLength, input.runId);
  const tags = Object.fromEntries(input.tags.map((t) => [t.key, t.value]));
  const prompt = input.tags.some((t) => t.key === IS_PROMPT_TAG);
  // A version from a logged model records it, and takes its source run when none is given (as MLflow's store does).
  const modelId = prompt ? undefined : input.modelId || LOGGED_MODEL_SOURCE.exec(input.source)?.[1];
  const loggedModel = modelId ? await getModelRow(ctx.db, modelId, false) : undefined;
  const created = await nextVersion(ctx.db, {
    name: input.name,
    source: input.source,
    runId: input.runId || loggedModel?.sourceRunId || null,
    runLink: input.runLink || null,
    description: input.description || null,
    modelId: loggedModel?.modelId ?? null,
    tags,
  });
  if (!created) throw notFound(`Registered Model with name=${input.name} not found`);
  await recordVersionLineage(ctx.db, input.name, created.version, created.runId, input.tags);
  if (loggedModel) await recordModelVersion(ctx.db, loggedModel.modelId, input.name, created.version);
  return getVersion({ ctx, input: { name: input.name, version: created.version } });
}

/** Where a version's files are: its logged model's artifact location when it has one, else its source (MLflow's storage_location). */
export async function downloadUri(ctx: TrackingContext, version: ModelVersion): Promise<string | null> {
  if (!version.modelId) return version.source;
  const model = await getModelRow(ctx.db, version.modelId).catch(() => undefined);
  return model?.artifactLocation ?? version.source;
}

export async function getVersion({
  ctx,
  input,
}: {
  ctx: TrackingContext;
  input: { name: string; version: number };
}): Promise<ModelVersion> {
  const [version] = await loadVersions(ctx.db, [await getVersionRow(ctx.db, input.name, input.version)]);
  if (!version) throw notFound(`Model Version (name=${input.name}, version=${input.version}) not found`);
  return version;
}

export async function updateVersion({
  ctx,
  input,
}: {
  ctx: TrackingContext;
  input: { name: string; version: number; description?: string };
}) {
  const row = await getVersionRow(ctx.db, input.name, input.version);
  if (input.description !== undefined) {
    await ctx.db
      .update(modelVersions)
      .set({ description: input.description, lastUpdatedTime: Date.now() })
      .where(and(eq(modelVersions.name, row.name), eq(modelVersions.version, row.version)));
  }
  return getVersion({ ctx, input });
}

/** Moves a version to a stage; `archiveExisting` archives the versions already in Staging or Production. */
export async function transitionStage({
  ctx,
  input,
}: {
  ctx: TrackingContext;
  input: { name: string; version: number; stage: string; archiveExisting: boolean };
}): Promise<ModelVersion> {
  const stage = canonicalStage(input.stage);
  if (input.archiveExisting && stage !== "Staging" && stage !== "Production") {
    throw invalidParameter(
      `Model version transition cannot archive existing model versions because '${stage}' is not an Active stage. ` +
        "Valid stages are Staging or Production.",
    );
  }
  // The registered model's row lock serialises transitions of its versions: without it, two
  // concurrent "archive the others" each miss the other's version and both stay in the stage.
  return ctx.db.transaction(async (tx) => {
    const [model] = await tx
      .select({ name: registeredModels.name })
      .from(registeredModels)
      .where(eq(registeredModels.name, input.name))
      .for("update");
    if (!model) throw notFound(`Registered Model with name=${input.name} not found`);
    const row = await getVersionRow(tx, input.name, input.version);
    const now = Date.now();
    if (input.archiveExisting) {
      await tx
        .update(modelVersions)
        .set({ currentStage: "Archived", lastUpdatedTime: now })
        .where(and(eq(modelVersions.name, row.name), eq(modelVersions.currentStage, stage), ne(modelVersions.version, row.version)));
    }
    const [updated] = await tx
      .update(modelVersions)
      .set({ currentStage: stage, lastUpdatedTime: now })
      .where(and(eq(modelVersions.name, row.name), eq(modelVersions.version, row.version)))
      .returning();
    await tx.update(registeredModels).set({ lastUpdatedTime: now }).where(eq(registeredModels.name, row.name));
    const [version] = await loadVersions(tx, [updated ?? row]);
    if (!version) throw notFound(`Model Version (name=${input.name}, version=${input.version}) not found`);
    return version;
  });
}

export async function deleteVersion({ ctx, input }: { ctx: TrackingContext; input: { name: string; version: number } }): Promise<void> {
  const row = await getVersionRow(ctx.db, input.name, input.version);
  // Version numbers are never reused: registered_models.last_version keeps counting.
  await ctx.db.delete(modelVersions).where(and(eq(modelVersions.name, row.name), eq(modelVersions.version, row.version)));
}

export async function setVersionTag({ ctx, input }: { ctx: TrackingContext; input: { name: string; version: number; tag: KeyValue } }) {
  validateRegistryTag("Model version", input.tag);
  const row = await getVersionRow(ctx.db, input.name, input.version);
  await ctx.db
    .insert(modelVersionTags)
    .values({ name: row.name, version: row.version, ...input.tag })
    .onConflictDoUpdate({
      target: [modelVersionTags.name, modelVersionTags.version, modelVersionTags.key],
      set: { value: sql`excluded.value` },
    });
  await recordVersionLineage(ctx.db, row.name, row.version, null, [input.tag]);
}

export async function deleteVersionTag({ ctx, input }: { ctx: TrackingContext; input: { name: string; version: number; key: string } }) {
  const row = await getVersionRow(ctx.db, input.name, input.version);
  await ctx.db
    .delete(modelVersionTags)
    .where(and(eq(modelVersionTags.name, row.name), eq(modelVersionTags.version, row.version), eq(modelVersionTags.key, input.key)));
}

export async function searchVersions({
  ctx,
  input,
}: {
  ctx: TrackingContext;
  input: { filter?: string; maxResults: number; orderBy: string[]; pageToken?: string };
}) {
  validateMaxResults(input.maxResults, SEARCH_VERSIONS_MAX_RESULTS_THRESHOLD);
  const clauses = parseVersionFilter(input.filter);
  const order = versionOrderSql(input.orderBy);
  const offset = parsePageToken(input.pageToken);
  const rows = await ctx.db
    .select()
    .from(modelVersions)
    .where(and(...clauses.map(versionClauseSql)))
    .orderBy(...order)
    .limit(input.maxResults + 1)
    .offset(offset);
  const page = pageOf(rows, offset, input.maxResults);
  return { versions: await loadVersions(ctx.db, page.items), nextPageToken: page.nextPageToken };
}
