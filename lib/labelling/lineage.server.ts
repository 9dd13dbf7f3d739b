import "server-only";
import { and, eq, inArray } from "drizzle-orm";
import { datasets, datasetItems, datasetVersions, namedDatasets, labelItems, labelQueues, labels } from "@/db/schema";
import type { Edge } from "@/lib/lineage/edges.server";
import type { KindHandler } from "@/lib/lineage/types";
import { DATASET_SOURCE_TYPE } from "@/lib/datasets/store.server";
import { LABELLING_RELATIONS } from "./relations";

/**
 * Labelling's part of the lineage graph. Saving a dataset version stores queue → dataset for its
 * registration in the Default experiment; a run in another experiment that logs the same
 * (name, digest) gets a dataset row of its own there, so these handlers derive queue → dataset for
 * every registration of a saved version, whichever experiment holds it.
 */

export const queueHandler: KindHandler = {
  async describe(ctx, ids) {
    const rows = await ctx.db.select({ id: labelQueues.id, name: labelQueues.name }).from(labelQueues).where(inArray(labelQueues.id, ids));
    return new Map(rows.map((r) => [r.id, { label: `queue ${r.name}`, href: `/labelling/${r.id}` }]));
  },
  async expand(ctx, ids, limit) {
    const rows = await ctx.db
      .select({ queueId: datasetVersions.queueId, uuid: datasets.datasetUuid })
      .from(datasetVersions)
      .innerJoin(namedDatasets, eq(namedDatasets.id, datasetVersions.datasetId))
      .innerJoin(
        datasets,
        and(
          eq(datasets.name, namedDatasets.name),
          eq(datasets.digest, datasetVersions.digest),
          eq(datasets.sourceType, DATASET_SOURCE_TYPE),
        ),
      )
      .where(inArray(datasetVersions.queueId, ids))
      .limit(limit);
    return rows.flatMap((r): Edge[] =>
      r.queueId
        ? [{ src: { kind: "queue", id: r.queueId }, relation: LABELLING_RELATIONS.labelledInto, dst: { kind: "dataset", id: r.uuid } }]
        : [],
    );
  },
};

/** queue → dataset for datasets registered from a saved version (found by name and digest). */
async function datasetQueueEdges(ctx: Parameters<NonNullable<KindHandler["expand"]>>[0], ids: string[], limit: number): Promise<Edge[]> {
  const rows = await ctx.db
    .select({ queueId: datasetVersions.queueId, uuid: datasets.datasetUuid })
    .from(datasets)
    .innerJoin(namedDatasets, eq(namedDatasets.name, datasets.name))
    .innerJoin(datasetVersions, and(eq(datasetVersions.datasetId, namedDatasets.id), eq(datasetVersions.digest, datasets.digest)))
    .where(and(inArray(datasets.datasetUuid, ids), eq(datasets.sourceType, DATASET_SOURCE_TYPE)))
    .limit(limit);
  return rows.flatMap((r): Edge[] =>
    r.queueId
      ? [{ src: { kind: "queue", id: r.queueId }, relation: LABELLING_RELATIONS.labelledInto, dst: { kind: "dataset", id: r.uuid } }]
      : [],
  );
}

/** Labels shown per dataset in the graph: enough to see where the items came from, never thousands. */
const LABELS_PER_DATASET = 25;

/** queue → dataset and label → dataset (a sample of the labels behind the version's items). */
export async function datasetExpand(ctx: Parameters<NonNullable<KindHandler["expand"]>>[0], ids: string[], limit: number): Promise<Edge[]> {
  const queues = await datasetQueueEdges(ctx, ids, limit);
  const rows = await ctx.db
    .select({ labelId: labels.id, uuid: datasets.datasetUuid })
    .from(datasets)
    .innerJoin(namedDatasets, eq(namedDatasets.name, datasets.name))
    .innerJoin(datasetVersions, and(eq(datasetVersions.datasetId, namedDatasets.id), eq(datasetVersions.digest, datasets.digest)))
    .innerJoin(datasetItems, eq(datasetItems.versionId, datasetVersions.id))
    .innerJoin(labelItems, and(eq(labelItems.queueId, datasetVersions.queueId), eq(labelItems.inferenceId, datasetItems.inferenceId)))
    .innerJoin(labels, eq(labels.itemId, labelItems.id))
    .where(and(inArray(datasets.datasetUuid, ids), eq(datasets.sourceType, DATASET_SOURCE_TYPE)))
    .limit(Math.min(limit, LABELS_PER_DATASET * ids.length));
  return [
    ...queues,
    ...rows.map((r): Edge => ({
      src: { kind: "label", id: r.labelId },
      relation: LABELLING_RELATIONS.labelledInto,
      dst: { kind: "dataset", id: r.uuid },
    })),
  ];
}

const shortValue = (value: unknown) => {
  const text = typeof value === "boolean" ? (value ? "yes" : "no") : String(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
};

/** A label (also a feedback row, same id): who gave what, in which queue, on which inference. */
export const labelHandler: KindHandler = {
  async describe(ctx, ids) {
    const rows = await ctx.db
      .select({ id: labels.id, reviewer: labels.reviewer, field: labels.field, value: labels.value, queueId: labels.queueId })
      .from(labels)
      .where(inArray(labels.id, ids));
    return new Map(
      rows.map((r) => [r.id, { label: `${r.reviewer}: ${r.field} = ${shortValue(r.value)}`, href: `/labelling/${r.queueId}` }]),
    );
  },
  async expand(ctx, ids, limit) {
    const rows = await ctx.db
      .select({ id: labels.id, queueId: labels.queueId, inferenceId: labelItems.inferenceId })
      .from(labels)
      .innerJoin(labelItems, eq(labelItems.id, labels.itemId))
      .where(inArray(labels.id, ids))
      .limit(limit);
    const saved = await ctx.db
      .select({ id: labels.id, uuid: datasets.datasetUuid })
      .from(labels)
      .innerJoin(labelItems, eq(labelItems.id, labels.itemId))
      .innerJoin(datasetVersions, eq(datasetVersions.queueId, labels.queueId))
      .innerJoin(datasetItems, and(eq(datasetItems.versionId, datasetVersions.id), eq(datasetItems.inferenceId, labelItems.inferenceId)))
      .innerJoin(namedDatasets, eq(namedDatasets.id, datasetVersions.datasetId))
      .innerJoin(
        datasets,
        and(
          eq(datasets.name, namedDatasets.name),
          eq(datasets.digest, datasetVersions.digest),
          eq(datasets.sourceType, DATASET_SOURCE_TYPE),
        ),
      )
      .where(inArray(labels.id, ids))
      .limit(limit);
    return [
      ...rows.flatMap((r): Edge[] => [
        { src: { kind: "label", id: r.id }, relation: LABELLING_RELATIONS.labels, dst: { kind: "inference", id: r.inferenceId } },
        { src: { kind: "label", id: r.id }, relation: LABELLING_RELATIONS.inQueue, dst: { kind: "queue", id: r.queueId } },
      ]),
      ...saved.map((r): Edge => ({
        src: { kind: "label", id: r.id },
        relation: LABELLING_RELATIONS.labelledInto,
        dst: { kind: "dataset", id: r.uuid },
      })),
    ];
  },
};

/** label → inference for the labels given on these inferences. */
export async function inferenceLabelEdges(
  ctx: Parameters<NonNullable<KindHandler["expand"]>>[0],
  ids: string[],
  limit: number,
): Promise<Edge[]> {
  const rows = await ctx.db
    .select({ id: labels.id, inferenceId: labelItems.inferenceId })
    .from(labels)
    .innerJoin(labelItems, eq(labelItems.id, labels.itemId))
    .where(inArray(labelItems.inferenceId, ids))
    .limit(limit);
  return rows.map((r): Edge => ({
    src: { kind: "label", id: r.id },
    relation: LABELLING_RELATIONS.labels,
    dst: { kind: "inference", id: r.inferenceId },
  }));
}
