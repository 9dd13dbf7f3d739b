import "server-only";
import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client.server";
import { isUniqueViolation } from "@/db/errors";
import { modelVersions, registeredModelAliases, registeredModelTags, registeredModels } from "@/db/schema";
import { renameVersionNodes } from "@/lib/lineage/edges.server";
import { alreadyExists, invalidParameter, notFound } from "@/lib/stores/mlflow-errors";
import type { TrackingContext } from "@/lib/tracking/context";
import { validateMaxResults } from "@/lib/tracking/experiments.server";
import { pageOf, parsePageToken } from "@/lib/tracking/page-token";
import type { KeyValue } from "@/lib/tracking/types";
import { LIMITS, validateLength, validateRegistryTag } from "@/lib/tracking/validation";
import { isLatestAlias } from "./prompts";
import { latestVersionNumber, setAlias as writeAlias } from "./repo.server";
import { modelClauseSql, modelOrderSql, parseModelFilter } from "./search";
import { STAGES, type ModelVersion, type RegisteredModel } from "./types";
import { canonicalStage, getVersion, getVersionRow, loadVersions, requireModel } from "./versions.server";

type ModelRow = typeof registeredModels.$inferSelect;
export const SEARCH_MODELS_MAX_RESULTS_DEFAULT = 100;
export const SEARCH_MODELS_MAX_RESULTS_THRESHOLD = 1000;

function validateModelName(name: string): void {
  if (!name) throw invalidParameter("Registered model name cannot be empty.");
  validateLength("Registered model name", LIMITS.maxRegisteredModelNameLength, name);
}

/** Full registered models (tags, aliases, latest version per stage) for rows, in their order. */
async function loadModels(db: DbOrTx, rows: ModelRow[]): Promise<RegisteredModel[]> {
  if (rows.length === 0) return [];
  const names = rows.map((r) => r.name);
  const [tags, aliases, latestRows] = await Promise.all([
    db.select().from(registeredModelTags).where(inArray(registeredModelTags.name, names)).orderBy(asc(registeredModelTags.key)),
    db.select().from(registeredModelAliases).where(inArray(registeredModelAliases.name, names)).orderBy(asc(registeredModelAliases.alias)),
    db
      .selectDistinctOn([modelVersions.name, modelVersions.currentStage])
      .from(modelVersions)
      .where(inArray(modelVersions.name, names))
      .orderBy(modelVersions.name, modelVersions.currentStage, desc(modelVersions.version)),
  ]);
  const latest = await loadVersions(db, latestRows, false);
  return rows.map((row) => ({
    name: row.name,
    creationTimestamp: row.creationTime,
    lastUpdatedTimestamp: row.lastUpdatedTime,
    description: row.description,
    latestVersions: latest.filter((v) => v.name === row.name).sort((a, b) => a.version - b.version),
    tags: tags.filter((t) => t.name === row.name).map(({ key, value }) => ({ key, value })),
    aliases: aliases.filter((a) => a.name === row.name).map(({ alias, version }) => ({ alias, version })),
  }));
}

async function loadModel(db: DbOrTx, name: string): Promise<RegisteredModel> {
  const [model] = await loadModels(db, [await requireModel(db, name)]);
  if (!model) throw notFound(`Registered Model with name=${name} not found`);
  return model;
}

export async function createModel({
  ctx,
  input,
}: {
  ctx: TrackingContext;
  input: { name: string; description?: string; tags: KeyValue[] };
}) {
  validateModelName(input.name);
  input.tags.forEach((t) => validateRegistryTag("Registered model", t));
  const now = Date.now();
  await ctx.db.transaction(async (tx) => {
    const [created] = await tx
      .insert(registeredModels)
      .values({ name: input.name, description: input.description || null, creationTime: now, lastUpdatedTime: now })
      .onConflictDoNothing()
      .returning({ name: registeredModels.name });
    if (!created) throw alreadyExists(`Registered Model (name=${input.name}) already exists.`);
    const tags = [...new Map(input.tags.map((t) => [t.key, t])).values()];
    if (tags.length) await tx.insert(registeredModelTags).values(tags.map((t) => ({ name: input.name, ...t })));
  });
  return loadModel(ctx.db, input.name);
}

export const getModel = ({ ctx, input }: { ctx: TrackingContext; input: { name: string } }) => loadModel(ctx.db, input.name);

export async function renameModel({ ctx, input }: { ctx: TrackingContext; input: { name: string; newName: string } }) {
  validateModelName(input.newName);
  await ctx.db
    .transaction(async (tx) => {
      await requireModel(tx, input.name);
      const [clash] = await tx
        .select({ name: registeredModels.name })
        .from(registeredModels)
        .where(eq(registeredModels.name, input.newName));
      if (clash) throw alreadyExists(`Registered Model (name=${input.newName}) already exists.`);
      // Versions, tags and aliases follow through ON UPDATE CASCADE.
      await tx
        .update(registeredModels)
        .set({ name: input.newName, lastUpdatedTime: Date.now() })
        .where(eq(registeredModels.name, input.name));
      await renameVersionNodes(tx, input.name, input.newName);
    })
    .catch((error: unknown) => {
      if (isUniqueViolation(error)) throw alreadyExists(`Registered Model (name=${input.newName}) already exists.`);
      throw error;
    });
  return loadModel(ctx.db, input.newName);
}

export async function updateModel({ ctx, input }: { ctx: TrackingContext; input: { name: string; description?: string } }) {
  await requireModel(ctx.db, input.name);
  if (input.description !== undefined) {
    await ctx.db
      .update(registeredModels)
      .set({ description: input.description, lastUpdatedTime: Date.now() })
      .where(eq(registeredModels.name, input.name));
  }
  return loadModel(ctx.db, input.name);
}

export async function deleteModel({ ctx, input }: { ctx: TrackingContext; input: { name: string } }) {
  await requireModel(ctx.db, input.name);
  await ctx.db.delete(registeredModels).where(eq(registeredModels.name, input.name));
}

export async function searchModels({
  ctx,
  input,
}: {
  ctx: TrackingContext;
  input: { filter?: string; maxResults: number; orderBy: string[]; pageToken?: string };
}) {
  validateMaxResults(input.maxResults, SEARCH_MODELS_MAX_RESULTS_THRESHOLD);
  const clauses = parseModelFilter(input.filter);
  const order = modelOrderSql(input.orderBy);
  const offset = parsePageToken(input.pageToken);
  const rows = await ctx.db
    .select()
    .from(registeredModels)
    .where(and(...clauses.map(modelClauseSql)))
    .orderBy(...order)
    .limit(input.maxResults + 1)
    .offset(offset);
  const page = pageOf(rows, offset, input.maxResults);
  return { models: await loadModels(ctx.db, page.items), nextPageToken: page.nextPageToken };
}

/** The latest version in each stage asked for (every stage when none is), in the order asked. */
export async function getLatestVersions({
  ctx,
  input,
}: {
  ctx: TrackingContext;
  input: { name: string; stages: string[] };
}): Promise<ModelVersion[]> {
  const model = await loadModel(ctx.db, input.name);
  const stages = input.stages.length > 0 ? input.stages.map(canonicalStage) : [...STAGES];
  const wanted = stages.flatMap((stage) => model.latestVersions.filter((v) => v.currentStage === stage));
  const rows = await Promise.all(wanted.map((v) => getVersionRow(ctx.db, v.name, v.version)));
  return loadVersions(ctx.db, rows);
}

export async function setModelTag({ ctx, input }: { ctx: TrackingContext; input: { name: string; tag: KeyValue } }) {
  validateRegistryTag("Registered model", input.tag);
  await requireModel(ctx.db, input.name);
  await ctx.db
    .insert(registeredModelTags)
    .values({ name: input.name, ...input.tag })
    .onConflictDoUpdate({ target: [registeredModelTags.name, registeredModelTags.key], set: { value: sql`excluded.value` } });
}

export async function deleteModelTag({ ctx, input }: { ctx: TrackingContext; input: { name: string; key: string } }) {
  await requireModel(ctx.db, input.name);
  await ctx.db.delete(registeredModelTags).where(and(eq(registeredModelTags.name, input.name), eq(registeredModelTags.key, input.key)));
}

/** MLflow's alias rules: letters, digits, `_` and `-`; `latest` and `v<N>` are reserved. */
export function validateAlias(alias: string): void {
  if (!alias) throw invalidParameter("Registered model alias name cannot be empty.");
  if (!/^[\w-]*$/.test(alias)) {
    throw invalidParameter(`Invalid alias name: '${alias}'. Names may only contain alphanumerics, underscores (_), and dashes (-).`);
  }
  validateLength("Registered model alias name", LIMITS.maxAliasLength, alias);
  if (alias.toLowerCase() === "latest") throw invalidParameter("'latest' alias name (case insensitive) is reserved.");
  if (/^[vV]\d+$/.test(alias)) throw invalidParameter(`Version alias name '${alias}' is reserved.`);
}

/** MLflow's checks of an alias move, without moving it (the promotion gate runs in between). */
export async function validateAliasMove({ ctx, input }: { ctx: TrackingContext; input: { name: string; alias: string; version: number } }) {
  validateAlias(input.alias);
  await requireModel(ctx.db, input.name);
  await getVersionRow(ctx.db, input.name, input.version);
}

export async function setModelAlias({ ctx, input }: { ctx: TrackingContext; input: { name: string; alias: string; version: number } }) {
  validateAlias(input.alias);
  await requireModel(ctx.db, input.name);
  await getVersionRow(ctx.db, input.name, input.version);
  await writeAlias(ctx.db, input.name, input.alias, input.version);
}

export async function deleteModelAlias({ ctx, input }: { ctx: TrackingContext; input: { name: string; alias: string } }) {
  await requireModel(ctx.db, input.name);
  await ctx.db
    .delete(registeredModelAliases)
    .where(and(eq(registeredModelAliases.name, input.name), eq(registeredModelAliases.alias, input.alias)));
}

/** The version an alias points at; `latest` (reserved, any case) is the newest version, as MLflow resolves it. */
export async function getVersionByAlias({ ctx, input }: { ctx: TrackingContext; input: { name: string; alias: string } }) {
  await requireModel(ctx.db, input.name);
  if (isLatestAlias(input.alias)) {
    const latest = await latestVersionNumber(ctx.db, input.name);
    if (latest === undefined) throw notFound(`Registered model alias ${input.alias} not found.`);
    return getVersion({ ctx, input: { name: input.name, version: latest } });
  }
  const [row] = await ctx.db
    .select({ version: registeredModelAliases.version })
    .from(registeredModelAliases)
    .where(and(eq(registeredModelAliases.name, input.name), eq(registeredModelAliases.alias, input.alias)));
  if (!row) throw notFound(`Registered model alias ${input.alias} not found.`);
  return getVersion({ ctx, input: { name: input.name, version: row.version } });
}
