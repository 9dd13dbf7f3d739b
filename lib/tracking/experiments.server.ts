import "server-only";
import { and, eq, inArray, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client.server";
import { isUniqueViolation } from "@/db/errors";
import { experimentTags, experiments, runs } from "@/db/schema";
import { alreadyExists, invalidParameter, notFound } from "@/lib/stores/mlflow-errors";
import type { TrackingContext } from "./context";
import { experimentClauseSql, experimentOrderSql, parseExperimentFilter, parseExperimentOrderBy } from "./experiment-search";
import { pageOf, parsePageToken } from "./page-token";
import { stagesFor, type Experiment, type KeyValue, type ViewType } from "./types";
import { parseExperimentId, validateExperimentName, validateExperimentTag } from "./validation";

export const DEFAULT_EXPERIMENT_ID = "0";
export const SEARCH_MAX_RESULTS_DEFAULT = 1000;
export const SEARCH_MAX_RESULTS_THRESHOLD = 50000;

type ExperimentRow = typeof experiments.$inferSelect;

/** Experiments created without a location get MLflow's proxied-artifact location for their id. */
export const defaultArtifactLocation = (experimentId: string | number) => `mlflow-artifacts:/${experimentId}`;

async function withTags(db: DbOrTx, rows: ExperimentRow[]): Promise<Experiment[]> {
  const ids = rows.map((r) => r.experimentId);
  const tags = ids.length ? await db.select().from(experimentTags).where(inArray(experimentTags.experimentId, ids)) : [];
  return rows.map((row) => ({
    experimentId: String(row.experimentId),
    name: row.name,
    artifactLocation: row.artifactLocation ?? defaultArtifactLocation(row.experimentId),
    lifecycleStage: row.lifecycleStage,
    creationTime: row.creationTime,
    lastUpdateTime: row.lastUpdateTime,
    tags: tags
      .filter((t) => t.experimentId === row.experimentId)
      .map((t) => ({ key: t.key, value: t.value }))
      .sort((a, b) => a.key.localeCompare(b.key)),
  }));
}

/** The experiment row in one of the given stages, or MLflow's 404. */
export async function getExperimentRow(db: DbOrTx, experimentId: string, view: ViewType = "ALL"): Promise<ExperimentRow> {
  const id = parseExperimentId(experimentId || DEFAULT_EXPERIMENT_ID);
  const [row] = await db
    .select()
    .from(experiments)
    .where(and(eq(experiments.experimentId, id), inArray(experiments.lifecycleStage, stagesFor(view))));
  if (!row) throw notFound(`No Experiment with id=${experimentId || DEFAULT_EXPERIMENT_ID} exists`);
  return row;
}

export function requireActiveExperiment(row: ExperimentRow): void {
  if (row.lifecycleStage !== "active") {
    throw invalidParameter(`The experiment ${row.experimentId} must be in the 'active' state. Current state is ${row.lifecycleStage}.`);
  }
}

export async function createExperiment({
  ctx,
  input,
}: {
  ctx: TrackingContext;
  input: { name: string; artifactLocation?: string; tags: KeyValue[] };
}): Promise<string> {
  validateExperimentName(input.name);
  input.tags.forEach(validateExperimentTag);
  if (input.artifactLocation?.startsWith("runs:")) {
    throw invalidParameter(`Artifact location cannot be a runs:/ URI. Given: '${input.artifactLocation}'`);
  }
  const now = Date.now();
  return ctx.db.transaction(async (tx) => {
    const [created] = await tx
      .insert(experiments)
      .values({ name: input.name, artifactLocation: input.artifactLocation || null, creationTime: now, lastUpdateTime: now })
      .onConflictDoNothing({ target: experiments.name })
      .returning({ id: experiments.experimentId });
    if (!created) throw alreadyExists(`Experiment(name=${input.name}) already exists.`);
    const tags = dedupeByKey(input.tags);
    if (tags.length) await tx.insert(experimentTags).values(tags.map((t) => ({ experimentId: created.id, ...t })));
    return String(created.id);
  });
}

/** Later values win, as MLflow applies repeated tag keys in order. */
export function dedupeByKey(tags: KeyValue[]): KeyValue[] {
  return [...new Map(tags.map((t) => [t.key, t])).values()];
}

export async function getExperiment({ ctx, input }: { ctx: TrackingContext; input: { experimentId: string } }): Promise<Experiment> {
  const row = await getExperimentRow(ctx.db, input.experimentId);
  const [experiment] = await withTags(ctx.db, [row]);
  if (!experiment) throw notFound(`No Experiment with id=${input.experimentId} exists`);
  return experiment;
}

export async function getExperimentByName({ ctx, input }: { ctx: TrackingContext; input: { name: string } }): Promise<Experiment> {
  const rows = await ctx.db.select().from(experiments).where(eq(experiments.name, input.name));
  const [experiment] = await withTags(ctx.db, rows);
  if (!experiment) throw notFound(`Could not find experiment with name '${input.name}'`);
  return experiment;
}

export function validateMaxResults(maxResults: number, threshold: number): void {
  if (maxResults < 1) {
    throw invalidParameter(`Invalid value ${maxResults} for parameter 'max_results' supplied. It must be a positive integer`);
  }
  if (maxResults > threshold) {
    throw invalidParameter(`Invalid value ${maxResults} for parameter 'max_results' supplied. It must be at most ${threshold}`);
  }
}

export interface SearchExperimentsInput {
  viewType: ViewType;
  maxResults: number;
  filter?: string;
  orderBy: string[];
  pageToken?: string;
}

export async function searchExperiments({ ctx, input }: { ctx: TrackingContext; input: SearchExperimentsInput }) {
  validateMaxResults(input.maxResults, SEARCH_MAX_RESULTS_THRESHOLD);
  const clauses = parseExperimentFilter(input.filter);
  const order = experimentOrderSql(parseExperimentOrderBy(input.orderBy));
  const offset = parsePageToken(input.pageToken);
  const rows = await ctx.db
    .select()
    .from(experiments)
    .where(and(inArray(experiments.lifecycleStage, stagesFor(input.viewType)), ...clauses.map(experimentClauseSql)))
    .orderBy(...order)
    .limit(input.maxResults + 1)
    .offset(offset);
  const page = pageOf(rows, offset, input.maxResults);
  return { experiments: await withTags(ctx.db, page.items), nextPageToken: page.nextPageToken };
}

export async function renameExperiment({ ctx, input }: { ctx: TrackingContext; input: { experimentId: string; newName: string } }) {
  validateExperimentName(input.newName);
  await ctx.db
    .transaction(async (tx) => {
      const row = await getExperimentRow(tx, input.experimentId);
      if (row.lifecycleStage !== "active") throw invalidParameter("Cannot rename a non-active experiment.");
      if (row.name === input.newName) return;
      const [clash] = await tx.select({ id: experiments.experimentId }).from(experiments).where(eq(experiments.name, input.newName));
      if (clash) throw alreadyExists(`Experiment(name=${input.newName}) already exists.`);
      await tx
        .update(experiments)
        .set({ name: input.newName, lastUpdateTime: Date.now() })
        .where(eq(experiments.experimentId, row.experimentId));
    })
    .catch((error: unknown) => {
      // Another rename may take the name between our check and our update.
      if (isUniqueViolation(error)) throw alreadyExists(`Experiment(name=${input.newName}) already exists.`);
      throw error;
    });
}

/** Soft-deletes (or restores) an experiment and all its runs, as MLflow's SQL store does. */
async function setExperimentStage(ctx: TrackingContext, experimentId: string, from: ViewType, to: "active" | "deleted") {
  await ctx.db.transaction(async (tx) => {
    const row = await getExperimentRow(tx, experimentId, from);
    const now = Date.now();
    await tx.update(experiments).set({ lifecycleStage: to, lastUpdateTime: now }).where(eq(experiments.experimentId, row.experimentId));
    await tx
      .update(runs)
      .set({ lifecycleStage: to, deletedTime: to === "deleted" ? now : null })
      .where(eq(runs.experimentId, row.experimentId));
  });
}

export const deleteExperiment = ({ ctx, input }: { ctx: TrackingContext; input: { experimentId: string } }) =>
  setExperimentStage(ctx, input.experimentId, "ACTIVE_ONLY", "deleted");

export const restoreExperiment = ({ ctx, input }: { ctx: TrackingContext; input: { experimentId: string } }) =>
  setExperimentStage(ctx, input.experimentId, "DELETED_ONLY", "active");

export async function setExperimentTag({ ctx, input }: { ctx: TrackingContext; input: { experimentId: string; tag: KeyValue } }) {
  validateExperimentTag(input.tag);
  const row = await getExperimentRow(ctx.db, input.experimentId);
  requireActiveExperiment(row);
  await ctx.db
    .insert(experimentTags)
    .values({ experimentId: row.experimentId, ...input.tag })
    .onConflictDoUpdate({ target: [experimentTags.experimentId, experimentTags.key], set: { value: sql`excluded.value` } });
}

export async function deleteExperimentTag({ ctx, input }: { ctx: TrackingContext; input: { experimentId: string; key: string } }) {
  const row = await getExperimentRow(ctx.db, input.experimentId);
  requireActiveExperiment(row);
  const deleted = await ctx.db
    .delete(experimentTags)
    .where(and(eq(experimentTags.experimentId, row.experimentId), eq(experimentTags.key, input.key)))
    .returning({ key: experimentTags.key });
  if (deleted.length === 0) throw notFound(`No tag with name: ${input.key} in experiment with id ${input.experimentId}`);
}
