import "server-only";
import { randomUUID } from "node:crypto";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client.server";
import { datasets, latestMetrics, runInputs, runParams, runTags, runs } from "@/db/schema";
import { recordEdges } from "@/lib/lineage/edges.server";
import { modelLinksOfRuns } from "@/lib/logged-models/run-links.server";
import { invalidParameter, notFound } from "@/lib/stores/mlflow-errors";
import type { TrackingContext } from "./context";
import { dedupeByKey, defaultArtifactLocation, getExperimentRow, requireActiveExperiment } from "./experiments.server";
import { generateRunName } from "./run-names";
import { RUN_NAME_TAG, edgesFromRunTags } from "./tags";
import type { KeyValue, Run, RunInfo, RunStatus } from "./types";
import { validateTag } from "./validation";

export type RunRow = typeof runs.$inferSelect;

export function toRunInfo(row: RunRow): RunInfo {
  return {
    runId: row.runId,
    runName: row.name,
    experimentId: String(row.experimentId),
    userId: row.userId,
    status: row.status,
    startTime: row.startTime,
    endTime: row.endTime,
    artifactUri: row.artifactUri,
    lifecycleStage: row.lifecycleStage,
  };
}

export async function getRunRow(db: DbOrTx, runId: string): Promise<RunRow> {
  const [row] = await db.select().from(runs).where(eq(runs.runId, runId));
  if (!row) throw notFound(`Run with id=${runId} not found`);
  return row;
}

export function requireActiveRun(row: RunRow): void {
  if (row.lifecycleStage !== "active") {
    throw invalidParameter(`The run ${row.runId} must be in the 'active' state. Current state is ${row.lifecycleStage}.`);
  }
}

const byKey = (a: { key: string }, b: { key: string }) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/** Full runs (info, latest metrics, params, tags, dataset inputs) for rows, in their order. */
export async function loadRuns(db: DbOrTx, rows: RunRow[]): Promise<Run[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.runId);
  const [metrics, params, tags, inputs, modelLinks] = await Promise.all([
    db.select().from(latestMetrics).where(inArray(latestMetrics.runId, ids)),
    db.select().from(runParams).where(inArray(runParams.runId, ids)),
    db.select().from(runTags).where(inArray(runTags.runId, ids)),
    db
      .select({ runId: runInputs.runId, tags: runInputs.tags, dataset: datasets })
      .from(runInputs)
      .innerJoin(datasets, eq(datasets.datasetUuid, runInputs.datasetUuid))
      .where(inArray(runInputs.runId, ids))
      .orderBy(asc(datasets.name), asc(datasets.digest)),
    modelLinksOfRuns(db, ids),
  ]);
  const group = <T extends { runId: string }>(items: T[]) => {
    const map = new Map<string, T[]>();
    for (const item of items) map.set(item.runId, [...(map.get(item.runId) ?? []), item]);
    return map;
  };
  const [metricsBy, paramsBy, tagsBy, inputsBy] = [group(metrics), group(params), group(tags), group(inputs)];
  return rows.map((row) => ({
    info: toRunInfo(row),
    data: {
      metrics: (metricsBy.get(row.runId) ?? []).map(({ key, value, timestamp, step }) => ({ key, value, timestamp, step })).sort(byKey),
      params: (paramsBy.get(row.runId) ?? []).map(({ key, value }) => ({ key, value })).sort(byKey),
      tags: (tagsBy.get(row.runId) ?? []).map(({ key, value }) => ({ key, value })).sort(byKey),
    },
    inputs: {
      datasetInputs: (inputsBy.get(row.runId) ?? []).map(({ tags: inputTags, dataset }) => ({
        tags: inputTags,
        dataset: {
          name: dataset.name,
          digest: dataset.digest,
          sourceType: dataset.sourceType,
          source: dataset.source,
          schema: dataset.schema,
          profile: dataset.profile,
        },
      })),
      modelInputs: modelLinks.get(row.runId)?.inputs ?? [],
    },
    outputs: { modelOutputs: modelLinks.get(row.runId)?.outputs ?? [] },
  }));
}

export async function getRun({ ctx, input }: { ctx: TrackingContext; input: { runId: string } }): Promise<Run> {
  const [run] = await loadRuns(ctx.db, [await getRunRow(ctx.db, input.runId)]);
  if (!run) throw notFound(`Run with id=${input.runId} not found`);
  return run;
}

export interface CreateRunInput {
  experimentId?: string;
  userId?: string;
  runName?: string;
  startTime?: number;
  tags: KeyValue[];
}

export async function createRun({ ctx, input }: { ctx: TrackingContext; input: CreateRunInput }): Promise<Run> {
  const tags = dedupeByKey(input.tags).map(validateTag);
  const nameTag = tags.find((t) => t.key === RUN_NAME_TAG)?.value;
  if (input.runName && nameTag && input.runName !== nameTag) {
    throw invalidParameter(
      "Both 'run_name' argument and 'mlflow.runName' tag are specified, but with different values " +
        `(run_name='${input.runName}', mlflow.runName='${nameTag}').`,
    );
  }
  const runName = input.runName || nameTag || generateRunName();
  if (!nameTag) tags.push({ key: RUN_NAME_TAG, value: runName });
  const runId = randomUUID().replaceAll("-", "");
  await ctx.db.transaction(async (tx) => {
    const experiment = await getExperimentRow(tx, input.experimentId ?? "");
    requireActiveExperiment(experiment);
    const location = experiment.artifactLocation ?? defaultArtifactLocation(experiment.experimentId);
    await tx.insert(runs).values({
      runId,
      experimentId: experiment.experimentId,
      name: runName,
      userId: input.userId ?? "",
      status: "RUNNING",
      startTime: input.startTime ?? Date.now(),
      artifactUri: `${location.replace(/\/+$/, "")}/${runId}/artifacts`,
    });
    await tx.insert(runTags).values(tags.map((t) => ({ runId, ...t })));
    await recordEdges(tx, edgesFromRunTags(runId, tags));
  });
  return getRun({ ctx, input: { runId } });
}

export interface UpdateRunInput {
  runId: string;
  status?: RunStatus;
  endTime?: number;
  runName?: string;
}

export async function updateRun({ ctx, input }: { ctx: TrackingContext; input: UpdateRunInput }): Promise<RunInfo> {
  return ctx.db.transaction(async (tx) => {
    const row = await getRunRow(tx, input.runId);
    requireActiveRun(row);
    const [updated] = await tx
      .update(runs)
      .set({
        ...(input.status ? { status: input.status } : {}),
        ...(input.endTime !== undefined ? { endTime: input.endTime } : {}),
        ...(input.runName ? { name: input.runName } : {}),
      })
      .where(eq(runs.runId, row.runId))
      .returning();
    if (input.runName) await upsertTags(tx, row.runId, [{ key: RUN_NAME_TAG, value: input.runName }]);
    return toRunInfo(updated ?? row);
  });
}

/** Upserts tags (the last value of a repeated key wins) and keeps the run name in step with its tag. */
export async function upsertTags(tx: DbOrTx, runId: string, tags: KeyValue[]): Promise<void> {
  const unique = dedupeByKey(tags).sort(byKey);
  if (unique.length === 0) return;
  await tx
    .insert(runTags)
    .values(unique.map((t) => ({ runId, ...t })))
    .onConflictDoUpdate({ target: [runTags.runId, runTags.key], set: { value: sql`excluded.value` } });
  const name = unique.find((t) => t.key === RUN_NAME_TAG);
  if (name) await tx.update(runs).set({ name: name.value }).where(eq(runs.runId, runId));
  await recordEdges(tx, edgesFromRunTags(runId, unique));
}

async function setRunStage(ctx: TrackingContext, runId: string, stage: "active" | "deleted") {
  const row = await getRunRow(ctx.db, runId);
  await ctx.db
    .update(runs)
    .set({ lifecycleStage: stage, deletedTime: stage === "deleted" ? Date.now() : null })
    .where(eq(runs.runId, row.runId));
}

export const deleteRun = ({ ctx, input }: { ctx: TrackingContext; input: { runId: string } }) => setRunStage(ctx, input.runId, "deleted");
export const restoreRun = ({ ctx, input }: { ctx: TrackingContext; input: { runId: string } }) => setRunStage(ctx, input.runId, "active");

export async function setRunTag({ ctx, input }: { ctx: TrackingContext; input: { runId: string; tag: KeyValue } }): Promise<void> {
  const tag = validateTag(input.tag);
  await ctx.db.transaction(async (tx) => {
    const row = await getRunRow(tx, input.runId);
    requireActiveRun(row);
    await upsertTags(tx, row.runId, [tag]);
  });
}

export async function deleteRunTag({ ctx, input }: { ctx: TrackingContext; input: { runId: string; key: string } }): Promise<void> {
  const row = await getRunRow(ctx.db, input.runId);
  requireActiveRun(row);
  const deleted = await ctx.db
    .delete(runTags)
    .where(and(eq(runTags.runId, row.runId), eq(runTags.key, input.key)))
    .returning({ key: runTags.key });
  if (deleted.length === 0) throw notFound(`No tag with name: ${input.key} in run with id ${input.runId}`);
}
