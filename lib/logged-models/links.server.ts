import "server-only";
import { and, eq, inArray, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client.server";
import { loggedModelMetrics, loggedModels, runModelInputs, runModelOutputs } from "@/db/schema";
import { recordEdges } from "@/lib/lineage/edges.server";
import { versionNodeId } from "@/lib/lineage/nodes";
import { RELATIONS } from "@/lib/lineage/relations";
import type { TrackingContext } from "@/lib/tracking/context";
import { isLater } from "@/lib/tracking/latest";
import { getRunRow, requireActiveRun } from "@/lib/tracking/runs.server";
import { getModelRow, loadModels, modelNotFound, setLoggedModelTags } from "./models.server";
import { MODEL_VERSIONS_TAG, type ModelMetricPoint } from "./types";

/**
 * What ties logged models to runs and to the registry: runs/outputs and log-inputs `models`,
 * metrics logged with a `model_id`, and model versions registered from a model. Each link is also
 * a lineage edge, so the graph reads run → logged model → model version.
 */
async function requireModels(db: DbOrTx, modelIds: string[]): Promise<void> {
  const unique = [...new Set(modelIds)];
  if (unique.length === 0) return;
  const found = await db.select({ id: loggedModels.modelId }).from(loggedModels).where(inArray(loggedModels.modelId, unique));
  const missing = unique.find((id) => !found.some((f) => f.id === id));
  if (missing) throw modelNotFound(missing);
}

/** runs/outputs: the models a run produced. Logging the same model again keeps the first step. */
export async function logOutputs({
  ctx,
  input,
}: {
  ctx: TrackingContext;
  input: { runId: string; models: { modelId: string; step: number }[] };
}) {
  await ctx.db.transaction(async (tx) => {
    requireActiveRun(await getRunRow(tx, input.runId));
    await requireModels(
      tx,
      input.models.map((m) => m.modelId),
    );
    if (input.models.length === 0) return;
    await tx
      .insert(runModelOutputs)
      .values(input.models.map((m) => ({ runId: input.runId, modelId: m.modelId, step: m.step })))
      .onConflictDoNothing();
    await recordEdges(
      tx,
      input.models.map((m) => ({
        src: { kind: "run", id: input.runId },
        relation: RELATIONS.loggedModel,
        dst: { kind: "logged_model", id: m.modelId },
      })),
    );
  });
}

/** runs/log-inputs `models`: models the run used. Called inside log-inputs' transaction. */
export async function logModelInputs(tx: DbOrTx, runId: string, modelIds: string[]): Promise<void> {
  await requireModels(tx, modelIds);
  if (modelIds.length === 0) return;
  await tx
    .insert(runModelInputs)
    .values([...new Set(modelIds)].map((modelId) => ({ runId, modelId })))
    .onConflictDoNothing();
  await recordEdges(
    tx,
    modelIds.map((modelId) => ({
      src: { kind: "run", id: runId },
      relation: RELATIONS.usedModel,
      dst: { kind: "logged_model", id: modelId },
    })),
  );
}

/** Checks that every model a batch names exists, before any of the batch is written. */
export const requireLinkedModels = (db: DbOrTx, points: ModelMetricPoint[]) =>
  requireModels(
    db,
    points.map((p) => p.modelId),
  );

/** Keeps each model's latest point per key, dataset and run, as latest_metrics does for runs. */
export async function linkModelMetrics(db: DbOrTx, runId: string, points: ModelMetricPoint[]): Promise<void> {
  if (points.length === 0) return;
  const latest = new Map<string, ModelMetricPoint>();
  for (const point of points) {
    const key = JSON.stringify([point.modelId, point.key, point.datasetName ?? "", point.datasetDigest ?? ""]);
    const held = latest.get(key);
    if (!held || isLater(point, held)) latest.set(key, point);
  }
  // Sorted, so concurrent batches lock rows in one order and never deadlock.
  for (const p of [...latest.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, point]) => point)) {
    await db
      .insert(loggedModelMetrics)
      .values({
        modelId: p.modelId,
        key: p.key,
        datasetName: p.datasetName ?? "",
        datasetDigest: p.datasetDigest ?? "",
        runId,
        value: p.value,
        timestamp: p.timestamp,
        step: p.step,
      })
      .onConflictDoUpdate({
        target: [
          loggedModelMetrics.modelId,
          loggedModelMetrics.key,
          loggedModelMetrics.datasetName,
          loggedModelMetrics.datasetDigest,
          loggedModelMetrics.runId,
        ],
        set: { value: sql`excluded.value`, timestamp: sql`excluded.timestamp`, step: sql`excluded.step` },
        setWhere: sql`(excluded.step, excluded.timestamp, excluded.value) > (${loggedModelMetrics.step}, ${loggedModelMetrics.timestamp}, ${loggedModelMetrics.value})`,
      });
  }
}

/**
 * A registry version made from a logged model: MLflow's `mlflow.modelVersions` tag on the model
 * (a JSON list of {name, version}) and the lineage edge version → model.
 */
export async function recordModelVersion(db: DbOrTx, modelId: string, name: string, version: number): Promise<void> {
  const [model] = await loadModels(db, [await getModelRow(db, modelId)]);
  const current = model?.tags.find((t) => t.key === MODEL_VERSIONS_TAG)?.value;
  let listed: { name: string; version: number }[] = [];
  try {
    const parsed: unknown = current ? JSON.parse(current) : [];
    if (Array.isArray(parsed)) listed = parsed as { name: string; version: number }[];
  } catch {
    listed = [];
  }
  if (!listed.some((v) => v.name === name && String(v.version) === String(version))) listed.push({ name, version });
  await setLoggedModelTags(db, modelId, [{ key: MODEL_VERSIONS_TAG, value: JSON.stringify(listed) }]);
  await recordEdges(db, [
    {
      src: { kind: "model_version", id: versionNodeId(name, version) },
      relation: RELATIONS.registeredFrom,
      dst: { kind: "logged_model", id: modelId },
    },
  ]);
}

/** The models a run logged (its outputs and the models naming it as source run), newest first. */
export async function modelsOfRun(db: DbOrTx, runId: string) {
  const outputs = db.select({ id: runModelOutputs.modelId }).from(runModelOutputs).where(eq(runModelOutputs.runId, runId));
  const rows = await db
    .select()
    .from(loggedModels)
    .where(
      and(
        eq(loggedModels.lifecycleStage, "active"),
        sql`(${loggedModels.sourceRunId} = ${runId} or ${loggedModels.modelId} in (${outputs}))`,
      ),
    )
    .orderBy(sql`${loggedModels.creationTime} desc`);
  return loadModels(db, rows);
}
