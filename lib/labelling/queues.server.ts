import "server-only";
import { randomUUID } from "node:crypto";
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { labelClaims, labelItems, labelQueues, labels } from "@/db/schema";
import { BadRequestError, ConflictError } from "@/lib/http/errors";
import { recordEdges } from "@/lib/lineage/edges.server";
import { LABELLING_RELATIONS } from "./relations";
import { fieldAgreement, type Rating } from "./agreement";
import { getQueueOrThrow } from "./claims.server";
import {
  LIMITS,
  createQueueInput,
  type AgreementResult,
  type CreateQueueInput,
  type InferenceFilter,
  type LabelField,
  type QueueDetail,
  type QueueSummary,
} from "./schemas";
import { countInferences, selectInferences } from "./select.server";
import { isUniqueViolation, rows, type LabellingContext } from "./sql.server";
import { normalizeFields } from "./values";

/** How many inferences a filter (and optional sample) would put in a queue, and whether that fits. */
export async function previewQueue(ctx: LabellingContext, input: { filter: InferenceFilter; sample?: { size: number; seed?: number } }) {
  const matching = await countInferences(ctx.clickhouse, input.filter);
  const items = input.sample ? Math.min(input.sample.size, matching) : matching;
  return { matching, items, fits: items <= LIMITS.maxItems };
}

const RECENT = 20;

type FieldCheck = (fields: LabelField[]) => Promise<void> | void;

/**
 * Creates a queue over the inferences a filter selects (or a reproducible random sample of them),
 * capped at LIMITS.maxItems with a message that says how to narrow it. `checkFields` lets the
 * caller validate fields against declared metrics (the gateway's config).
 */
export async function createQueue(
  ctx: LabellingContext,
  raw: CreateQueueInput,
  options: { checkFields?: FieldCheck; now?: number } = {},
): Promise<QueueSummary> {
  const input = createQueueInput.parse(raw);
  const fields = normalizeFields(input.name, input.fields);
  await options.checkFields?.(fields);
  const { matching } = await previewQueue(ctx, input);
  if (matching === 0)
    throw new BadRequestError("No inferences match this filter; widen it (function, variant, time range, tags) and try again");
  if (!input.sample && matching > LIMITS.maxItems) {
    throw new BadRequestError(
      `The filter matches ${matching.toLocaleString("en")} inferences; a queue holds at most ${LIMITS.maxItems.toLocaleString("en")}. Narrow the filter or take a random sample`,
    );
  }
  const selected = await selectInferences(ctx.clickhouse, input.filter, {
    sample: input.sample,
    limit: input.sample?.size ?? LIMITS.maxItems,
  });
  const now = options.now ?? Date.now();
  const id = randomUUID();
  const source = {
    filter: input.filter,
    ...(input.sample ? { sample: { size: input.sample.size, seed: input.sample.seed ?? 0 } } : {}),
    matching,
  };
  try {
    await ctx.db.transaction(async (tx) => {
      await tx.insert(labelQueues).values({
        id,
        name: input.name,
        description: input.description ?? "",
        source,
        fields,
        overlap: input.overlap,
        reviewers: [...new Set(input.reviewers)],
        claimTimeoutSeconds: input.claimTimeoutSeconds,
        blind: input.blind,
        itemCount: selected.length,
        createdAt: now,
      });
      for (let start = 0; start < selected.length; start += 500) {
        await tx.insert(labelItems).values(
          selected.slice(start, start + 500).map((inf, i) => ({
            queueId: id,
            position: start + i,
            inferenceId: inf.id,
            episodeId: inf.episode_id,
            functionName: inf.function_name,
            variantName: inf.variant_name,
            modelName: inf.model_name,
            input: inf.input,
            output: inf.output,
            inferenceTime: inf.timestamp,
          })),
        );
      }
      const functions = [...new Set(selected.map((s) => s.function_name))].slice(0, 50);
      await recordEdges(
        tx,
        functions.map((fn) => ({
          src: { kind: "function", id: fn },
          relation: LABELLING_RELATIONS.reviewedIn,
          dst: { kind: "queue", id },
        })),
        now,
      );
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new ConflictError(`A queue named "${input.name}" exists already; choose another name`);
    throw error;
  }
  return getQueueSummary(ctx, id);
}

type QueueRow = typeof labelQueues.$inferSelect;

function summarize(queue: QueueRow, doneItems: number, doneLabels: number): QueueSummary {
  return {
    id: queue.id,
    name: queue.name,
    description: queue.description,
    source: queue.source,
    fields: queue.fields as LabelField[],
    overlap: queue.overlap,
    reviewers: queue.reviewers,
    claimTimeoutSeconds: queue.claimTimeoutSeconds,
    blind: queue.blind,
    itemCount: queue.itemCount,
    createdAt: queue.createdAt,
    doneItems,
    doneLabels,
  };
}

export async function listQueues(ctx: LabellingContext): Promise<QueueSummary[]> {
  const queues = await ctx.db.select().from(labelQueues).orderBy(desc(labelQueues.createdAt)).limit(200);
  if (queues.length === 0) return [];
  const counts = await rows<{ queue_id: string; done_items: string | number; done_labels: string | number }>(
    ctx.db,
    sql`select q.id as queue_id,
          (select count(*) from ${labelItems} i where i.queue_id = q.id and i.done_count >= q.overlap) as done_items,
          (select count(*) from ${labelClaims} c where c.queue_id = q.id and c.status = 'done') as done_labels
        from ${labelQueues} q where q.id in ${queues.map((q) => q.id)}`,
  );
  const byId = new Map(counts.map((c) => [c.queue_id, c]));
  return queues.map((q) => summarize(q, Number(byId.get(q.id)?.done_items ?? 0), Number(byId.get(q.id)?.done_labels ?? 0)));
}

export async function getQueueSummary(ctx: LabellingContext, queueId: string): Promise<QueueSummary> {
  const queue = await getQueueOrThrow(ctx.db, queueId);
  const [counts] = await rows<{ done_items: string | number; done_labels: string | number }>(
    ctx.db,
    sql`select (select count(*) from ${labelItems} where queue_id = ${queue.id} and done_count >= ${queue.overlap}) as done_items,
               (select count(*) from ${labelClaims} where queue_id = ${queue.id} and status = 'done') as done_labels`,
  );
  return summarize(queue, Number(counts?.done_items ?? 0), Number(counts?.done_labels ?? 0));
}

/** The agreement of each choice field, over items labelled by `overlap` reviewers. */
export async function queueAgreement(ctx: LabellingContext, queue: QueueRow): Promise<AgreementResult[]> {
  if (queue.overlap < 2) return [];
  const choiceFields = (queue.fields as LabelField[]).filter((f) => f.type === "boolean" || f.type === "score" || f.type === "category");
  if (choiceFields.length === 0) return [];
  const given = await ctx.db
    .select({ item: labels.itemId, reviewer: labels.reviewer, field: labels.field, value: labels.value })
    .from(labels)
    .where(eq(labels.queueId, queue.id));
  return choiceFields.flatMap((field) => {
    const ratings: Rating[] = given
      .filter((g) => g.field === field.key)
      .map((g) => ({ item: Number(g.item), reviewer: g.reviewer, value: String(g.value) }));
    const result = fieldAgreement(ratings, queue.overlap);
    return result
      ? [
          {
            field: field.key,
            method: result.method,
            kappa: result.kappa,
            items: result.items,
            raters: result.raters,
            observed: result.observed,
            expected: result.expected,
          },
        ]
      : [];
  });
}

export async function getQueueDetail(ctx: LabellingContext, queueId: string): Promise<QueueDetail> {
  const summary = await getQueueSummary(ctx, queueId);
  const queue = await getQueueOrThrow(ctx.db, queueId);
  const perReviewer = await rows<{ reviewer: string; done: string | number; skipped: string | number; active: string | number }>(
    ctx.db,
    sql`select reviewer,
          count(*) filter (where status = 'done') as done,
          count(*) filter (where status = 'skipped') as skipped,
          count(*) filter (where status = 'active') as active
        from ${labelClaims} where queue_id = ${queue.id} group by reviewer order by reviewer`,
  );
  const recentClaims = await ctx.db
    .select({
      claimId: labelClaims.id,
      inferenceId: labelItems.inferenceId,
      position: labelItems.position,
      reviewer: labelClaims.reviewer,
      completedAt: labelClaims.completedAt,
    })
    .from(labelClaims)
    .innerJoin(labelItems, eq(labelItems.id, labelClaims.itemId))
    .where(and(eq(labelClaims.queueId, queue.id), eq(labelClaims.status, "done")))
    .orderBy(desc(labelClaims.completedAt), desc(labelClaims.id))
    .limit(RECENT);
  const values = recentClaims.length
    ? await ctx.db
        .select({ claimId: labels.claimId, field: labels.field, value: labels.value })
        .from(labels)
        .where(
          inArray(
            labels.claimId,
            recentClaims.map((c) => c.claimId),
          ),
        )
    : [];
  const recent = recentClaims.map((c) => ({
    claimId: Number(c.claimId),
    inferenceId: c.inferenceId,
    position: c.position,
    reviewer: c.reviewer,
    completedAt: c.completedAt ?? 0,
    values: Object.fromEntries(values.filter((v) => Number(v.claimId) === Number(c.claimId)).map((v) => [v.field, v.value])),
  }));
  return {
    ...summary,
    recent,
    perReviewer: perReviewer.map((r) => ({
      reviewer: r.reviewer,
      done: Number(r.done),
      skipped: Number(r.skipped),
      active: Number(r.active),
    })),
    agreement: await queueAgreement(ctx, queue),
  };
}
