import "server-only";
import { randomUUID } from "node:crypto";
import type { ClickHouseClient } from "@clickhouse/client";
import { and, asc, desc, eq, gte, lt, max, sql } from "drizzle-orm";
import type { Db, Tx } from "@/db/client.server";
import { datasetItems, datasets, datasetVersions, namedDatasets } from "@/db/schema";
import { BadRequestError, NotFoundError } from "@/lib/http/errors";
import { recordEdges, type Edge } from "@/lib/lineage/edges.server";
import { digestOf } from "./digest";
import type { DatasetItem, DatasetSource, DatasetSummary, DatasetVersionInfo } from "./schemas";

/**
 * Immutable, content-addressed dataset versions. Each version is registered as an MLflow dataset
 * in the Default experiment (0) with source type "llmops", so a run can log it as an input
 * (runs/log-inputs with the same name and digest) and lineage reads dataset → run.
 */

export interface DatasetsContext {
  db: Db;
  clickhouse: ClickHouseClient;
}

export const DATASET_SOURCE_TYPE = "llmops";
const DEFAULT_EXPERIMENT_ID = 0;
const MAX_ITEMS = 100_000;

export const datasetVersionPath = (name: string, version: number) => `/api/datasets/${encodeURIComponent(name)}/versions/${version}`;

/** An item ready to store (input as the gateway's JSON text). */
export interface StoredItemInput {
  inferenceId: string | null;
  input: string;
  expectedOutput: string | null;
  context?: string | null;
  assertions?: DatasetItem["assertions"];
  tags?: Record<string, string>;
  labels?: DatasetItem["labels"];
}

function mlflowRef(name: string, version: number, digest: string, itemCount: number) {
  return {
    name,
    digest,
    source_type: DATASET_SOURCE_TYPE,
    source: JSON.stringify({ uri: datasetVersionPath(name, version) }),
    schema: JSON.stringify({
      mlflow_colspec: [
        { type: "string", name: "input" },
        { type: "string", name: "expected_output" },
        { type: "string", name: "context" },
      ],
    }),
    profile: JSON.stringify({ num_rows: itemCount }),
  };
}

type VersionRow = typeof datasetVersions.$inferSelect;

function versionInfo(name: string, row: VersionRow, existing: boolean): DatasetVersionInfo {
  return {
    name,
    version: row.version,
    digest: row.digest,
    itemCount: row.itemCount,
    queueId: row.queueId,
    source: row.source,
    createdAt: row.createdAt,
    existing,
    mlflow: { ...mlflowRef(name, row.version, row.digest, row.itemCount), uuid: row.mlflowDatasetUuid },
  };
}

/**
 * Saves `items` as the next version of `name`, or returns the version with the same digest if
 * there is one (saving is idempotent). `edges` are extra lineage edges into the new dataset node
 * (e.g. queue → dataset), given the MLflow dataset uuid.
 */
export async function createDatasetVersion(
  ctx: DatasetsContext,
  input: {
    name: string;
    items: StoredItemInput[];
    source: DatasetSource;
    queueId?: string | null;
    edges?: (datasetUuid: string) => Edge[];
    now?: number;
    /** The new version is the latest one's items followed by `items`, read under the dataset's row lock (so concurrent appends never lose an item). */
    append?: boolean;
  },
): Promise<DatasetVersionInfo> {
  const now = input.now ?? Date.now();
  if (input.items.length === 0) throw new BadRequestError("A dataset version needs at least one item");
  return ctx.db.transaction(async (tx) => {
    await tx.insert(namedDatasets).values({ id: randomUUID(), name: input.name, createdAt: now }).onConflictDoNothing();
    const [dataset] = await tx.select().from(namedDatasets).where(eq(namedDatasets.name, input.name)).for("update");
    const items = input.append ? [...(await latestItems(tx, dataset!.id)), ...input.items] : input.items;
    if (items.length > MAX_ITEMS) throw new BadRequestError(`A dataset version holds at most ${MAX_ITEMS} items`);
    const digest = digestOf(items);
    const [same] = await tx
      .select()
      .from(datasetVersions)
      .where(and(eq(datasetVersions.datasetId, dataset!.id), eq(datasetVersions.digest, digest)));
    if (same) return versionInfo(input.name, same, true);
    const [{ latest } = { latest: 0 }] = await tx
      .select({ latest: max(datasetVersions.version) })
      .from(datasetVersions)
      .where(eq(datasetVersions.datasetId, dataset!.id));
    const version = Number(latest ?? 0) + 1;
    const id = randomUUID();
    const ref = mlflowRef(input.name, version, digest, items.length);
    await tx
      .insert(datasets)
      .values({
        datasetUuid: id.replaceAll("-", ""),
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
      .insert(datasetVersions)
      .values({
        id,
        datasetId: dataset!.id,
        version,
        digest,
        queueId: input.queueId ?? null,
        source: input.source,
        itemCount: items.length,
        mlflowDatasetUuid: registered!.uuid,
        createdAt: now,
      })
      .returning();
    for (let start = 0; start < items.length; start += 500) {
      await tx.insert(datasetItems).values(
        items.slice(start, start + 500).map((item, i) => ({
          versionId: id,
          position: start + i,
          inferenceId: item.inferenceId,
          input: item.input,
          expectedOutput: item.expectedOutput,
          context: item.context ?? null,
          assertions: item.assertions ?? [],
          tags: item.tags ?? {},
          labels: item.labels ?? {},
        })),
      );
    }
    const edges = input.edges?.(registered!.uuid) ?? [];
    if (edges.length) await recordEdges(tx, edges, now);
    return versionInfo(input.name, row!, false);
  });
}

/** The items of a dataset's latest version, as stored, to build the next version on (empty when it has none). */
async function latestItems(tx: Tx, datasetId: string): Promise<StoredItemInput[]> {
  const [latest] = await tx
    .select({ id: datasetVersions.id })
    .from(datasetVersions)
    .where(eq(datasetVersions.datasetId, datasetId))
    .orderBy(desc(datasetVersions.version))
    .limit(1);
  if (!latest) return [];
  return tx
    .select({
      inferenceId: datasetItems.inferenceId,
      input: datasetItems.input,
      expectedOutput: datasetItems.expectedOutput,
      context: datasetItems.context,
      assertions: datasetItems.assertions,
      tags: datasetItems.tags,
      labels: datasetItems.labels,
    })
    .from(datasetItems)
    .where(eq(datasetItems.versionId, latest.id))
    .orderBy(asc(datasetItems.position));
}

export async function listDatasets(ctx: DatasetsContext): Promise<DatasetSummary[]> {
  const found = await ctx.db
    .select({
      name: namedDatasets.name,
      versions: sql<number>`count(${datasetVersions.id})::int`,
      latest: sql<number>`max(${datasetVersions.version})::int`,
      items: sql<number>`(select v2.item_count from ${datasetVersions} v2 where v2.dataset_id = ${namedDatasets.id} order by v2.version desc limit 1)`,
      updatedAt: sql<number>`max(${datasetVersions.createdAt})`,
    })
    .from(namedDatasets)
    .innerJoin(datasetVersions, eq(datasetVersions.datasetId, namedDatasets.id))
    .groupBy(namedDatasets.id, namedDatasets.name)
    .orderBy(sql`max(${datasetVersions.createdAt}) desc`)
    .limit(500);
  return found.map((d) => ({
    name: d.name,
    versions: Number(d.versions),
    latest: Number(d.latest),
    items: Number(d.items),
    updatedAt: Number(d.updatedAt),
  }));
}

export async function getDatasetVersions(ctx: DatasetsContext, name: string): Promise<DatasetVersionInfo[]> {
  const [dataset] = await ctx.db.select().from(namedDatasets).where(eq(namedDatasets.name, name));
  if (!dataset) throw new NotFoundError(`No dataset named "${name}"`);
  const versions = await ctx.db
    .select()
    .from(datasetVersions)
    .where(eq(datasetVersions.datasetId, dataset.id))
    .orderBy(desc(datasetVersions.version));
  return versions.map((v) => versionInfo(name, v, false));
}

/** A version's id and info; `version` omitted means the latest. */
export async function resolveVersion(ctx: DatasetsContext, name: string, version?: number): Promise<DatasetVersionInfo & { id: string }> {
  const [row] = await ctx.db
    .select({ v: datasetVersions })
    .from(datasetVersions)
    .innerJoin(namedDatasets, eq(namedDatasets.id, datasetVersions.datasetId))
    .where(and(eq(namedDatasets.name, name), version === undefined ? undefined : eq(datasetVersions.version, version)))
    .orderBy(desc(datasetVersions.version))
    .limit(1);
  if (!row) {
    const versions = await getDatasetVersions(ctx, name);
    throw new NotFoundError(`Dataset "${name}" has no version ${version}; it has ${versions.map((v) => v.version).join(", ")}`);
  }
  return { ...versionInfo(name, row.v, false), id: row.v.id };
}

export async function versionById(ctx: DatasetsContext, id: string): Promise<DatasetVersionInfo & { id: string }> {
  const [row] = await ctx.db
    .select({ v: datasetVersions, name: namedDatasets.name })
    .from(datasetVersions)
    .innerJoin(namedDatasets, eq(namedDatasets.id, datasetVersions.datasetId))
    .where(eq(datasetVersions.id, id));
  if (!row) throw new NotFoundError(`No dataset version ${id}`);
  return { ...versionInfo(row.name, row.v, false), id };
}

/** Items of a version in order; `offset`/`limit` page through large versions. */
export async function listItems(
  ctx: DatasetsContext,
  versionId: string,
  page: { offset?: number; limit?: number } = {},
): Promise<DatasetItem[]> {
  const offset = page.offset ?? 0;
  const limit = page.limit ?? MAX_ITEMS;
  return ctx.db
    .select({
      position: datasetItems.position,
      inferenceId: datasetItems.inferenceId,
      input: datasetItems.input,
      expectedOutput: datasetItems.expectedOutput,
      context: datasetItems.context,
      assertions: datasetItems.assertions,
      tags: datasetItems.tags,
      labels: datasetItems.labels,
    })
    .from(datasetItems)
    .where(and(eq(datasetItems.versionId, versionId), gte(datasetItems.position, offset), lt(datasetItems.position, offset + limit)))
    .orderBy(asc(datasetItems.position));
}

export async function getDatasetVersion(ctx: DatasetsContext, name: string, version: number) {
  const info = await resolveVersion(ctx, name, version);
  const { id, ...rest } = info;
  return { ...rest, items: await listItems(ctx, id) };
}
