import "server-only";
import { and, eq, inArray } from "drizzle-orm";
import { datasets, labelDatasetVersions, labelDatasets, labelQueues } from "@/db/schema";
import type { Edge } from "@/lib/lineage/edges.server";
import type { KindHandler } from "@/lib/lineage/kinds.server";
import { DATASET_SOURCE_TYPE } from "./datasets.server";
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
      .select({ queueId: labelDatasetVersions.queueId, uuid: datasets.datasetUuid })
      .from(labelDatasetVersions)
      .innerJoin(labelDatasets, eq(labelDatasets.id, labelDatasetVersions.datasetId))
      .innerJoin(datasets, and(eq(datasets.name, labelDatasets.name), eq(datasets.digest, labelDatasetVersions.digest), eq(datasets.sourceType, DATASET_SOURCE_TYPE)))
      .where(inArray(labelDatasetVersions.queueId, ids))
      .limit(limit);
    return rows.flatMap((r): Edge[] => (r.queueId ? [{ src: { kind: "queue", id: r.queueId }, relation: LABELLING_RELATIONS.labelledInto, dst: { kind: "dataset", id: r.uuid } }] : []));
  },
};

/** queue → dataset for datasets registered from a saved version (found by name and digest). */
export async function datasetQueueEdges(ctx: Parameters<NonNullable<KindHandler["expand"]>>[0], ids: string[], limit: number): Promise<Edge[]> {
  const rows = await ctx.db
    .select({ queueId: labelDatasetVersions.queueId, uuid: datasets.datasetUuid })
    .from(datasets)
    .innerJoin(labelDatasets, eq(labelDatasets.name, datasets.name))
    .innerJoin(labelDatasetVersions, and(eq(labelDatasetVersions.datasetId, labelDatasets.id), eq(labelDatasetVersions.digest, datasets.digest)))
    .where(and(inArray(datasets.datasetUuid, ids), eq(datasets.sourceType, DATASET_SOURCE_TYPE)))
    .limit(limit);
  return rows.flatMap((r): Edge[] => (r.queueId ? [{ src: { kind: "queue", id: r.queueId }, relation: LABELLING_RELATIONS.labelledInto, dst: { kind: "dataset", id: r.uuid } }] : []));
}
