import "server-only";
import { randomUUID } from "node:crypto";
import { and, eq, inArray, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client.server";
import { datasets, latestMetrics, runInputs, runParams } from "@/db/schema";
import { recordEdges } from "@/lib/lineage/edges.server";
import { logModelInputs } from "@/lib/logged-models/links.server";
import { RELATIONS } from "@/lib/lineage/relations";
import { invalidParameter } from "@/lib/stores/mlflow-errors";
import type { TrackingContext } from "./context";
import { insertMetricHistory } from "./history.server";
import { latestPerKey } from "./latest";
import { getRunRow, requireActiveRun, upsertTags } from "./runs.server";
import type { DatasetInput, KeyValue, MetricPoint } from "./types";
import {
  LIMITS,
  validateBatchLimits,
  validateLength,
  validateMetric,
  validateParam,
  validateParamKeysUnique,
  validateRunId,
  validateTag,
} from "./validation";

/**
 * Writes to runs: metrics, params, tags and dataset inputs. One Postgres transaction holds the run
 * check, params, tags and each key's latest value; the points go to ClickHouse's history within it.
 * Every write is idempotent, so a client retrying after a failure converges; get-history sees the
 * points as soon as the request returns (ClickHouse inserts are synchronous).
 */

/**
 * Keeps each key's latest point. One statement over four array parameters (not a VALUES list with
 * 4 × N parameters): PGlite spends most of an upsert binding parameters.
 */
async function upsertLatestMetrics(db: DbOrTx, run: { runId: string; experimentId: number }, metrics: MetricPoint[]): Promise<void> {
  const rows = latestPerKey(metrics);
  if (rows.length === 0) return;
  await db.execute(sql`
    insert into ${latestMetrics} (run_id, experiment_id, key, value, timestamp, step)
    select ${run.runId}, ${run.experimentId}, point.key, point.value, point.timestamp, point.step
    from unnest(${sql.param(rows.map((r) => r.key))}::text[], ${sql.param(rows.map((r) => r.value))}::float8[],
                ${sql.param(rows.map((r) => r.timestamp))}::bigint[], ${sql.param(rows.map((r) => r.step))}::bigint[])
      as point(key, value, timestamp, step)
    on conflict (run_id, key) do update set value = excluded.value, timestamp = excluded.timestamp, step = excluded.step
    where (excluded.step, excluded.timestamp, excluded.value) > (${latestMetrics}.step, ${latestMetrics}.timestamp, ${latestMetrics}.value)`);
}

/** Python's repr of the conflicts list, as MLflow puts it in its message. */
const pyStr = (s: string) => `'${s.replaceAll("\\", "\\\\").replaceAll("'", "\\'")}'`;

async function insertParams(tx: DbOrTx, runId: string, params: KeyValue[], single: boolean): Promise<void> {
  if (params.length === 0) return;
  const inserted = await tx
    .insert(runParams)
    .values(params.map((p) => ({ runId, ...p })))
    .onConflictDoNothing()
    .returning({ key: runParams.key });
  const fresh = new Set(inserted.map((r) => r.key));
  const others = params.filter((p) => !fresh.has(p.key));
  if (others.length === 0) return;
  const existing = new Map(
    (
      await tx
        .select({ key: runParams.key, value: runParams.value })
        .from(runParams)
        .where(
          and(
            eq(runParams.runId, runId),
            inArray(
              runParams.key,
              others.map((p) => p.key),
            ),
          ),
        )
    ).map((r) => [r.key, r.value]),
  );
  const conflicts = others.filter((p) => existing.get(p.key) !== p.value);
  const [first] = conflicts;
  if (!first) return;
  if (single) {
    throw invalidParameter(
      `Changing param values is not allowed. Param with key='${first.key}' was already logged with value='${existing.get(first.key)}' ` +
        `for run ID='${runId}'. Attempted logging new value '${first.value}'.`,
    );
  }
  const listed = conflicts.map(
    (p) => `{'key': ${pyStr(p.key)}, 'old_value': ${pyStr(existing.get(p.key) ?? "")}, 'new_value': ${pyStr(p.value)}}`,
  );
  throw invalidParameter(
    `Changing param values is not allowed. Params were already logged='[${listed.join(", ")}]' for run ID='${runId}'.`,
  );
}

export interface LogBatchInput {
  runId: string;
  metrics: MetricPoint[];
  params: KeyValue[];
  tags: KeyValue[];
}

export async function logBatch({ ctx, input }: { ctx: TrackingContext; input: LogBatchInput }): Promise<void> {
  validateRunId(input.runId);
  input.metrics.forEach(validateMetric);
  const params = input.params.map(validateParam);
  const tags = input.tags.map(validateTag);
  validateBatchLimits(input.metrics.length, params.length, tags.length);
  validateParamKeysUnique(params);
  await writeBatch(ctx, { ...input, params, tags }, false);
}

async function writeBatch(ctx: TrackingContext, input: LogBatchInput, singleParam: boolean): Promise<void> {
  if (input.params.length === 0 && input.tags.length === 0) {
    // Metrics only, the hot path: one atomic upsert needs no transaction around it.
    const run = await getRunRow(ctx.db, input.runId);
    requireActiveRun(run);
    await Promise.all([insertMetricHistory(ctx.clickhouse, run.runId, input.metrics), upsertLatestMetrics(ctx.db, run, input.metrics)]);
    return;
  }
  await ctx.db.transaction(async (tx) => {
    const run = await getRunRow(tx, input.runId);
    requireActiveRun(run);
    // Params first: a conflicting param rejects the whole batch before any metric is written.
    await insertParams(tx, run.runId, input.params, singleParam);
    // The history insert runs beside the Postgres writes and the transaction commits only if both
    // succeed; a failed commit after the insert leaves points that a retry writes again (deduplicated).
    await Promise.all([
      insertMetricHistory(ctx.clickhouse, run.runId, input.metrics),
      (async () => {
        await upsertLatestMetrics(tx, run, input.metrics);
        await upsertTags(tx, run.runId, input.tags);
      })(),
    ]);
  });
}

export async function logMetric({ ctx, input }: { ctx: TrackingContext; input: { runId: string; metric: MetricPoint } }): Promise<void> {
  validateMetric(input.metric);
  await writeBatch(ctx, { runId: input.runId, metrics: [input.metric], params: [], tags: [] }, false);
}

export async function logParam({ ctx, input }: { ctx: TrackingContext; input: { runId: string; param: KeyValue } }): Promise<void> {
  const param = validateParam(input.param);
  await writeBatch(ctx, { runId: input.runId, metrics: [], params: [param], tags: [] }, true);
}

function validateDatasetInput(input: DatasetInput): void {
  const { dataset } = input;
  validateLength("Dataset name", LIMITS.maxDatasetNameLength, dataset.name);
  validateLength("Dataset digest", LIMITS.maxDatasetDigestLength, dataset.digest);
  validateLength("Dataset source", LIMITS.maxDatasetSourceLength, dataset.source);
  validateLength("Dataset schema", LIMITS.maxDatasetSchemaLength, dataset.schema);
  validateLength("Dataset profile", LIMITS.maxDatasetProfileLength, dataset.profile);
  for (const tag of input.tags) {
    validateLength("Input tag key", LIMITS.maxInputTagKeyLength, tag.key);
    validateLength("Input tag value", LIMITS.maxInputTagValueLength, tag.value);
  }
}

/**
 * Records datasets as inputs of a run. A dataset is identified by (experiment, name, digest) and
 * stored once; logging the same input twice keeps the first, as MLflow does.
 */
export async function logInputs({
  ctx,
  input,
}: {
  ctx: TrackingContext;
  input: { runId: string; datasets: DatasetInput[]; models?: string[] };
}): Promise<void> {
  validateRunId(input.runId);
  input.datasets.forEach(validateDatasetInput);
  const unique = new Map<string, DatasetInput>();
  for (const d of input.datasets) {
    const key = JSON.stringify([d.dataset.name, d.dataset.digest]);
    if (!unique.has(key)) unique.set(key, d);
  }
  await ctx.db.transaction(async (tx) => {
    const run = await getRunRow(tx, input.runId);
    requireActiveRun(run);
    for (const { dataset, tags } of unique.values()) {
      await tx
        .insert(datasets)
        .values({ datasetUuid: randomUUID().replaceAll("-", ""), experimentId: run.experimentId, ...dataset })
        .onConflictDoNothing({ target: [datasets.experimentId, datasets.name, datasets.digest] });
      const [stored] = await tx
        .select({ uuid: datasets.datasetUuid })
        .from(datasets)
        .where(and(eq(datasets.experimentId, run.experimentId), eq(datasets.name, dataset.name), eq(datasets.digest, dataset.digest)));
      if (!stored) throw new Error(`dataset ${dataset.name}@${dataset.digest} vanished while logging inputs`);
      await tx.insert(runInputs).values({ runId: run.runId, datasetUuid: stored.uuid, tags }).onConflictDoNothing();
      await recordEdges(tx, [
        { src: { kind: "run", id: run.runId }, relation: RELATIONS.usedDataset, dst: { kind: "dataset", id: stored.uuid } },
      ]);
    }
    await logModelInputs(tx, run.runId, input.models ?? []);
  });
}
