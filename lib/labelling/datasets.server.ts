import "server-only";
import { asc, eq } from "drizzle-orm";
import { labelItems, labels } from "@/db/schema";
import { createDatasetVersion } from "@/lib/datasets/store.server";
import type { DatasetVersionInfo } from "@/lib/datasets/schemas";
import { BadRequestError } from "@/lib/http/errors";
import { loadInputsOutputs } from "@/lib/inference/lookups.server";
import { getQueueOrThrow } from "./claims.server";
import { buildDatasetItems, checkGoodRule, type GoodRule } from "./dataset-items";
import { LABELLING_RELATIONS } from "./relations";
import type { LabelField, LabelValue } from "./schemas";
import type { LabellingContext } from "./sql.server";

/**
 * Labelled items saved into a dataset (lib/datasets): the queue's items with a corrected answer,
 * or judged good, become the next version of the named dataset, with the lineage edge
 * queue → dataset.
 */

async function fullInferences(ctx: LabellingContext, ids: string[]): Promise<Map<string, { input: string; output: string }>> {
  if (ids.length === 0) return new Map();
  const found = await loadInputsOutputs(ctx.clickhouse, ids);
  return new Map(found.map((r) => [r.id, { input: r.input, output: r.output }]));
}

/** Saves the queue's labelled items as the next version of `name` (or returns the identical latest one). */
export async function saveDataset(
  ctx: LabellingContext,
  input: { queueId: string; name: string; good?: GoodRule; now?: number },
): Promise<DatasetVersionInfo> {
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
  return createDatasetVersion(ctx, {
    name: input.name,
    items,
    source: { kind: "queue", queueId: queue.id },
    queueId: queue.id,
    now: input.now,
    edges: (uuid) => [
      { src: { kind: "queue", id: queue.id }, relation: LABELLING_RELATIONS.labelledInto, dst: { kind: "dataset", id: uuid } },
    ],
  });
}
