import "server-only";
import { createHash, randomUUID } from "node:crypto";
import { and, asc, desc, eq, sql } from "drizzle-orm";
import { datasets, labelDatasetItems, labelDatasets, labelDatasetVersions, labelItems, labels } from "@/db/schema";
import { BadRequestError, NotFoundError } from "@/lib/http/errors";
import { recordEdges } from "@/lib/lineage/edges.server";
import { getQueueOrThrow } from "./claims.server";
import { buildDatasetItems, checkGoodRule, type DatasetItem, type GoodRule } from "./dataset-items";
import { LABELLING_RELATIONS } from "./relations";
import type { LabelField, LabelValue } from "./schemas";
import { rows, type LabellingContext } from "./sql.server";

/**
 * Datasets saved from labelled items: immutable, content-addressed versions of a named dataset.
 * Each version is registered as an MLflow dataset in the Default experiment (0) with source type
 * "llmops", so a run can log it as an input (runs/log-inputs with the same name and digest) and
 * lineage reads queue → dataset → run.
 */

export const DATASET_SOURCE_TYPE = "llmops";
const DEFAULT_EXPERIMENT_ID = 0;

export const datasetVersionPath = (name: string, version: number) =>
  `/api/labelling/datasets/${encodeURIComponent(name)}/versions/${version}`;

/** sha256 of the canonical items (first 16 hex characters), the version's digest. */
export function digestOf(items: DatasetItem[]): string {
  const canonical = JSON.stringify(items.map((i) => [i.inferenceId, i.input, i.expectedOutput]));
  return createHash("sha256").update(canonical).digest("hex").slice(0, 16);
}

export interface MlflowDatasetRef {
  name: string;
  digest: string;
  source_type: string;
  source: string;
  schema: string;
  profile: string;
}

export interface DatasetVersionInfo {
  name: string;
  version: number;
  digest: string;
  itemCount: number;
  queueId: string | null;
  createdAt: number;
  /** True when an identical version existed already and was returned instead of a new one. */
  existing: boolean;
  /** What to pass to MLflow's runs/log-inputs to use this version as a run input. */
  mlflow: MlflowDatasetRef & { uuid: string };
}

function mlflowRef(name: string, version: number, digest: string, itemCount: number): MlflowDatasetRef {
  return {
    name,
    digest,
    source_type: DATASET_SOURCE_TYPE,
    source: JSON.stringify({ uri: datasetVersionPath(name, version) }),
    schema: JSON.stringify({
      mlflow_colspec: [
        { type: "string", name: "input" },
        { type: "string", name: "expected_output" },
      ],
    }),
    profile: JSON.stringify({ num_rows: itemCount }),
  };
}

async function fullInferences(ctx: LabellingContext, ids: string[]): Promise<Map<string, { input: string; output: string }>> {
  if (ids.length === 0) return new Map();
  const result = await ctx.clickhouse.query({
    query: "SELECT id, input, output FROM inferences WHERE id IN {ids:Array(UUID)} LIMIT 1 BY id",
    query_params: { ids },
    format: "JSONEachRow",
  });
  const found = await result.json<{ id: string; input: string; output: string }>();
  return new Map(found.map((r) => [r.id, { input: r.input, output: r.output }]));
}

/** Saves the queue's labelled items as the next version of `name` (or returns the identical latest one). */
export async function saveDataset(
  ctx: LabellingContext,
  input: { queueId: string; name: string; good?: GoodRule; now?: number },
): Promise<DatasetVersionInfo> {
  const now = input.now ?? Date.now();
  const queue = await getQueueOrThrow(ctx.db, input.queueId);
  const ruleProblem = input.good && checkGoodRule(queue.fields as LabelField[], input.good);
  if (ruleProblem) throw new BadRequestError(ruleProblem);
  const given = await ctx.db
    .select({
      itemId: labels.itemId,
      field: labels.field,
      value: labels.value,
      position: labelItems.position,
      inferenceId: labelItems.inferenceId,
    })
    .from(labels)
    .innerJoin(labelItems, eq(labelItems.id, labels.itemId))
    .where(eq(labels.queueId, queue.id))
    .orderBy(asc(labelItems.position), asc(labels.createdAt));
  const ids = [...new Set(given.map((g) => g.inferenceId))];
  const full = await fullInferences(ctx, ids);
  const byItem = new Map<string, { position: number; labels: Record<string, LabelValue[]> }>();
  for (const g of given) {
    const entry = byItem.get(g.inferenceId) ?? { position: g.position, labels: {} };
    (entry.labels[g.field] ??= []).push(g.value);
    byItem.set(g.inferenceId, entry);
  }
  const items = buildDatasetItems(
    queue.fields as LabelField[],
    [...byItem].flatMap(([inferenceId, entry]) => {
      const inference = full.get(inferenceId);
      return inference ? [{ inferenceId, position: entry.position, ...inference, labels: entry.labels }] : [];
    }),
    input.good,
  );
  if (items.length === 0) {
    throw new BadRequestError("No labelled item qualifies yet: an item needs a corrected answer, or to be judged good by the chosen field");
  }
  const digest = digestOf(items);
  return ctx.db.transaction(async (tx) => {
    await tx.insert(labelDatasets).values({ id: randomUUID(), name: input.name, createdAt: now }).onConflictDoNothing();
    const [dataset] = await tx.select().from(labelDatasets).where(eq(labelDatasets.name, input.name)).for("update");
    const [same] = await tx
      .select()
      .from(labelDatasetVersions)
      .where(and(eq(labelDatasetVersions.datasetId, dataset!.id), eq(labelDatasetVersions.digest, digest)));
    if (same) return versionInfo(input.name, same, true);
    const [{ max } = { max: 0 }] = await rows<{ max: number | null }>(
      tx,
      sql`select coalesce(max(version), 0)::int as max from ${labelDatasetVersions} where dataset_id = ${dataset!.id}`,
    );
    const version = Number(max ?? 0) + 1;
    const id = randomUUID();
    const ref = mlflowRef(input.name, version, digest, items.length);
    const uuid = id.replaceAll("-", "");
    await tx
      .insert(datasets)
      .values({
        datasetUuid: uuid,
        experimentId: DEFAULT_EXPERIMENT_ID,
        name: ref.name,
        digest: ref.digest,
        sourceType: ref.source_type,
        source: ref.source,
        schema: ref.schema,
        profile: ref.profile,
      })
      .onConflictDoNothing({ target: [datasets.experimentId, datasets.name, datasets.digest] });
    const [registered] = await tx
      .select({ uuid: datasets.datasetUuid })
      .from(datasets)
      .where(and(eq(datasets.experimentId, DEFAULT_EXPERIMENT_ID), eq(datasets.name, ref.name), eq(datasets.digest, ref.digest)));
    const [row] = await tx
      .insert(labelDatasetVersions)
      .values({
        id,
        datasetId: dataset!.id,
        version,
        digest,
        queueId: queue.id,
        itemCount: items.length,
        mlflowDatasetUuid: registered!.uuid,
        createdAt: now,
      })
      .returning();
    for (let start = 0; start < items.length; start += 500) {
      await tx.insert(labelDatasetItems).values(
        items.slice(start, start + 500).map((item, i) => ({
          versionId: id,
          position: start + i,
          inferenceId: item.inferenceId,
          input: item.input,
          expectedOutput: item.expectedOutput,
          labels: item.labels,
        })),
      );
    }
    await recordEdges(
      tx,
      [
        {
          src: { kind: "queue", id: queue.id },
          relation: LABELLING_RELATIONS.labelledInto,
          dst: { kind: "dataset", id: registered!.uuid },
        },
      ],
      now,
    );
    return versionInfo(input.name, row!, false);
  });
}

type VersionRow = typeof labelDatasetVersions.$inferSelect;

function versionInfo(name: string, row: VersionRow, existing: boolean): DatasetVersionInfo {
  return {
    name,
    version: row.version,
    digest: row.digest,
    itemCount: row.itemCount,
    queueId: row.queueId,
    createdAt: row.createdAt,
    existing,
    mlflow: { ...mlflowRef(name, row.version, row.digest, row.itemCount), uuid: row.mlflowDatasetUuid },
  };
}

export async function listDatasets(ctx: LabellingContext) {
  const found = await rows<{
    name: string;
    versions: number | string;
    latest: number | string;
    items: number | string;
    updated_at: number | string;
  }>(
    ctx.db,
    sql`select d.name, count(v.id) as versions, max(v.version) as latest,
          (select v2.item_count from ${labelDatasetVersions} v2 where v2.dataset_id = d.id order by v2.version desc limit 1) as items,
          max(v.created_at) as updated_at
        from ${labelDatasets} d join ${labelDatasetVersions} v on v.dataset_id = d.id
        group by d.id, d.name order by max(v.created_at) desc limit 500`,
  );
  return found.map((d) => ({
    name: d.name,
    versions: Number(d.versions),
    latest: Number(d.latest),
    items: Number(d.items),
    updatedAt: Number(d.updated_at),
  }));
}

export async function getDatasetVersions(ctx: LabellingContext, name: string): Promise<DatasetVersionInfo[]> {
  const [dataset] = await ctx.db.select().from(labelDatasets).where(eq(labelDatasets.name, name));
  if (!dataset) throw new NotFoundError(`No dataset named "${name}"`);
  const versions = await ctx.db
    .select()
    .from(labelDatasetVersions)
    .where(eq(labelDatasetVersions.datasetId, dataset.id))
    .orderBy(desc(labelDatasetVersions.version));
  return versions.map((v) => versionInfo(name, v, false));
}

export async function getDatasetVersion(ctx: LabellingContext, name: string, version: number) {
  const versions = await getDatasetVersions(ctx, name);
  const info = versions.find((v) => v.version === version);
  if (!info) throw new NotFoundError(`Dataset "${name}" has no version ${version}; it has ${versions.map((v) => v.version).join(", ")}`);
  const [row] = await ctx.db
    .select({ id: labelDatasetVersions.id })
    .from(labelDatasetVersions)
    .innerJoin(labelDatasets, eq(labelDatasets.id, labelDatasetVersions.datasetId))
    .where(and(eq(labelDatasets.name, name), eq(labelDatasetVersions.version, version)));
  const items = await ctx.db
    .select({
      inferenceId: labelDatasetItems.inferenceId,
      input: labelDatasetItems.input,
      expectedOutput: labelDatasetItems.expectedOutput,
      labels: labelDatasetItems.labels,
    })
    .from(labelDatasetItems)
    .where(eq(labelDatasetItems.versionId, row!.id))
    .orderBy(asc(labelDatasetItems.position));
  return { ...info, items };
}
