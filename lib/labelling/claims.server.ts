import "server-only";
import { and, desc, eq, sql } from "drizzle-orm";
import { v7 as uuidv7 } from "uuid";
import type { DbOrTx } from "@/db/client.server";
import { labelClaims, labelItems, labelQueues, labels } from "@/db/schema";
import { AppError, BadRequestError, ConflictError, NotFoundError } from "@/lib/http/errors";
import { deleteFeedback, insertFeedback, isUuid } from "@/lib/inference/store.server";
import { FEEDBACK_TAGS, toClickHouseTime, type FeedbackRow } from "@/lib/inference/tables";
import type { LabelField, LabelValue, Progress, ReviewItem } from "./schemas";
import { isUniqueViolation, rows, type LabellingContext } from "./sql.server";
import { LabelValueError, checkValues, toFeedbackValue } from "./values";

/**
 * The claim protocol (see README.md). A claim is taken by one UPDATE of the item that picks the
 * first open item with `FOR UPDATE SKIP LOCKED`, so concurrent reviewers never wait on or take the
 * same row; a partial unique index keeps one live claim per (item, reviewer). Expired claims are
 * released lazily, at the next claim of anyone in the queue.
 */

type Queue = typeof labelQueues.$inferSelect;

/** What one submission changed: the claim's labels before (null on a first answer) and after. */
export interface SavedLabels {
  claimId: number;
  inferenceId: string;
  before: Record<string, unknown> | null;
  after: Record<string, LabelValue>;
}

export async function getQueueOrThrow(db: DbOrTx, queueId: string): Promise<Queue> {
  const [queue] = await db.select().from(labelQueues).where(eq(labelQueues.id, queueId));
  if (!queue) throw new NotFoundError(`No labelling queue "${queueId}"`);
  return queue;
}

function checkReviewer(queue: Queue, reviewer: string): void {
  if (queue.reviewers.length > 0 && !queue.reviewers.includes(reviewer)) {
    throw new AppError("forbidden", `Queue "${queue.name}" is assigned to ${queue.reviewers.join(", ")}; "${reviewer}" is not one of them`);
  }
}

/** Marks active claims past their expiry as expired and gives their items back. Returns how many. */
export async function releaseExpired(db: DbOrTx, queueId: string, now: number): Promise<number> {
  const released = await rows<{ n: number }>(
    db,
    sql`with expired as (
          update ${labelClaims} set status = 'expired'
          where queue_id = ${queueId} and status = 'active' and expires_at <= ${now}
          returning item_id),
        counts as (select item_id, count(*)::int as n from expired group by item_id)
        update ${labelItems} i set open_claims = i.open_claims - counts.n
        from counts where i.id = counts.item_id
        returning counts.n`,
  );
  return released.reduce((sum, r) => sum + Number(r.n), 0);
}

interface ClaimRow {
  claimId: number;
  itemId: number;
}

/** Takes the first open item this reviewer has not labelled or skipped; undefined when none is left. */
async function claimOne(db: DbOrTx, queue: Queue, reviewer: string, now: number): Promise<ClaimRow | undefined> {
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      return await db.transaction(async (tx) => {
        const [item] = await rows<{ id: number | string }>(
          tx,
          sql`update ${labelItems} set open_claims = open_claims + 1
              where id = (
                select i.id from ${labelItems} i
                where i.queue_id = ${queue.id} and i.open_claims < ${queue.overlap}
                  and not exists (select 1 from ${labelClaims} c
                                  where c.item_id = i.id and c.reviewer = ${reviewer} and c.status <> 'expired')
                order by i.position
                for update skip locked
                limit 1)
              returning id`,
        );
        if (!item) return undefined;
        const [claim] = await tx
          .insert(labelClaims)
          .values({
            queueId: queue.id,
            itemId: Number(item.id),
            reviewer,
            claimedAt: now,
            expiresAt: now + queue.claimTimeoutSeconds * 1000,
          })
          .returning({ id: labelClaims.id });
        return { claimId: Number(claim!.id), itemId: Number(item.id) };
      });
    } catch (error) {
      // The same reviewer claiming the same item from two tabs at once: the loser tries again.
      if (!isUniqueViolation(error)) throw error;
    }
  }
  throw new ConflictError("Could not take an item after several attempts; try again");
}

/**
 * The reviewer's current item: their active claim in this queue if they hold one (its expiry
 * renewed), else a newly claimed item; `item` is null when nothing is left for them.
 */
export async function claimNext(
  ctx: LabellingContext,
  input: { queueId: string; reviewer: string; now?: number },
  loaded?: Queue,
): Promise<{ item: ReviewItem | null; progress: Progress }> {
  const now = input.now ?? Date.now();
  const queue = loaded ?? (await getQueueOrThrow(ctx.db, input.queueId));
  checkReviewer(queue, input.reviewer);
  await releaseExpired(ctx.db, queue.id, now);
  const [held] = await ctx.db
    .update(labelClaims)
    .set({ expiresAt: now + queue.claimTimeoutSeconds * 1000 })
    .where(and(eq(labelClaims.queueId, queue.id), eq(labelClaims.reviewer, input.reviewer), eq(labelClaims.status, "active")))
    .returning({ id: labelClaims.id });
  const claimId = held ? Number(held.id) : (await claimOne(ctx.db, queue, input.reviewer, now))?.claimId;
  const item = claimId === undefined ? null : await reviewItem(ctx.db, queue, claimId);
  return { item, progress: await queueProgress(ctx.db, queue, input.reviewer) };
}

/** One claim's item as the labelling screen shows it (variant and model hidden when the queue is blind). */
export async function reviewItem(db: DbOrTx, queue: Queue, claimId: number): Promise<ReviewItem> {
  const [row] = await db
    .select({ claim: labelClaims, item: labelItems })
    .from(labelClaims)
    .innerJoin(labelItems, eq(labelItems.id, labelClaims.itemId))
    .where(and(eq(labelClaims.id, claimId), eq(labelClaims.queueId, queue.id)));
  if (!row) throw new NotFoundError(`No claim ${claimId} in queue "${queue.name}"`);
  const { claim, item } = row;
  // Labels exist only once a claim is done (an item reached with Back).
  const given =
    claim.status === "done"
      ? await db.select({ field: labels.field, value: labels.value }).from(labels).where(eq(labels.claimId, claimId))
      : [];
  return {
    claimId: Number(claim.id),
    itemId: Number(item.id),
    position: item.position,
    inferenceId: item.inferenceId,
    functionName: item.functionName,
    ...(queue.blind ? {} : { variantName: item.variantName, modelName: item.modelName }),
    input: item.input,
    output: item.output,
    inferenceTime: item.inferenceTime,
    expiresAt: claim.expiresAt,
    status: claim.status,
    values: Object.fromEntries(given.map((g) => [g.field, g.value])),
  };
}

export async function queueProgress(db: DbOrTx, queue: Queue, reviewer?: string): Promise<Progress> {
  const [counts] = await rows<{ done_items: number | string; done_labels: number | string; mine: number | string }>(
    db,
    sql`select
          (select count(*) from ${labelItems} where queue_id = ${queue.id} and done_count >= ${queue.overlap}) as done_items,
          (select count(*) from ${labelClaims} where queue_id = ${queue.id} and status = 'done') as done_labels,
          (select count(*) from ${labelClaims} where queue_id = ${queue.id} and status = 'done' and reviewer = ${reviewer ?? ""}) as mine`,
  );
  return {
    total: queue.itemCount,
    doneItems: Number(counts?.done_items ?? 0),
    doneLabels: Number(counts?.done_labels ?? 0),
    mine: Number(counts?.mine ?? 0),
  };
}

type Claim = typeof labelClaims.$inferSelect;

function checkOwnClaim(claim: Claim | undefined, queue: Queue, claimId: number, reviewer: string): Claim {
  if (!claim) throw new NotFoundError(`No claim ${claimId} in queue "${queue.name}"`);
  if (claim.reviewer !== reviewer) throw new AppError("forbidden", `Claim ${claimId} belongs to another reviewer`);
  return claim;
}

async function lockOwnClaim(tx: DbOrTx, queue: Queue, claimId: number, reviewer: string): Promise<Claim> {
  const [claim] = await tx
    .select()
    .from(labelClaims)
    .where(and(eq(labelClaims.id, claimId), eq(labelClaims.queueId, queue.id)))
    .for("update");
  return checkOwnClaim(claim, queue, claimId, reviewer);
}

/** Labels can be given on an active claim or replaced on a done one, not on a released or skipped one. */
function checkLabellable(claim: Claim): void {
  if (claim.status === "expired" || claim.status === "skipped") {
    throw new ConflictError(
      claim.status === "expired"
        ? "Your claim on this item expired and it went back to the queue; take the next item"
        : "You skipped this item",
    );
  }
}

/** Gives the item back without labelling it; the reviewer will not be offered it again. */
export async function skipClaim(ctx: LabellingContext, input: { queueId: string; claimId: number; reviewer: string; now?: number }) {
  const queue = await getQueueOrThrow(ctx.db, input.queueId);
  await ctx.db.transaction(async (tx) => {
    const claim = await lockOwnClaim(tx, queue, input.claimId, input.reviewer);
    if (claim.status !== "active") throw new ConflictError(`This item is already ${claim.status}; it cannot be skipped`);
    await tx
      .update(labelClaims)
      .set({ status: "skipped", completedAt: input.now ?? Date.now() })
      .where(eq(labelClaims.id, claim.id));
    await tx
      .update(labelItems)
      .set({ openClaims: sql`${labelItems.openClaims} - 1` })
      .where(eq(labelItems.id, claim.itemId));
  });
  return claimNext(ctx, { queueId: queue.id, reviewer: input.reviewer, now: input.now }, queue);
}

/**
 * Records a reviewer's labels on their claim and writes them as feedback (tagged human, reviewer,
 * queue). An active claim becomes done (even past its expiry, unless someone released it first);
 * a done claim (reached with "back") has its labels replaced by the new values.
 *
 * The feedback is inserted before the Postgres transaction, not inside it: a failed insert leaves
 * no label behind, and the transaction never holds its locks (on PGlite, the whole database)
 * while ClickHouse writes a part into the table and each of its views, so concurrent reviewers'
 * feedback shares one insert (`groupInsert`). Should the transaction then fail (the claim released
 * or skipped meanwhile), the rows just inserted are deleted again before the error is returned.
 */
export async function submitLabels(
  ctx: LabellingContext,
  input: {
    queueId: string;
    claimId: number;
    reviewer: string;
    values: Record<string, LabelValue>;
    now?: number;
    source?: "human" | "demo";
    /** false: answer without taking another item (a reviewer, or the demo, stopping here). */
    takeNext?: boolean;
  },
): Promise<{ item: ReviewItem | null; progress: Progress; saved: SavedLabels }> {
  const now = input.now ?? Date.now();
  const queue = await getQueueOrThrow(ctx.db, input.queueId);
  let checked: [string, LabelValue][];
  try {
    checked = checkValues(queue.fields as LabelField[], input.values);
  } catch (error) {
    if (error instanceof LabelValueError) throw new BadRequestError(error.message);
    throw error;
  }
  // The claim and its item as they are now; the transaction checks the claim again under its lock.
  const [found] = await ctx.db
    .select({ claim: labelClaims, item: labelItems })
    .from(labelClaims)
    .innerJoin(labelItems, eq(labelItems.id, labelClaims.itemId))
    .where(and(eq(labelClaims.id, input.claimId), eq(labelClaims.queueId, queue.id)));
  checkLabellable(checkOwnClaim(found?.claim, queue, input.claimId, input.reviewer));
  const { claim: current, item } = found!;
  const fields = new Map((queue.fields as LabelField[]).map((f) => [f.key, f]));
  const stored = checked.map(([field, value]) => ({
    id: uuidv7({ msecs: now }),
    queueId: queue.id,
    itemId: current.itemId,
    claimId: current.id,
    reviewer: input.reviewer,
    field,
    value,
    createdAt: now,
  }));
  const feedback: FeedbackRow[] = stored.map((label) => {
    const mapped = toFeedbackValue(fields.get(label.field)!, label.value);
    return {
      id: label.id,
      target_type: "inference",
      target_id: item.inferenceId,
      function_name: item.functionName,
      variant_name: item.variantName,
      ...(isUuid(item.episodeId) ? { episode_id: item.episodeId } : {}),
      metric_name: mapped.metric,
      kind: mapped.kind,
      value: mapped.value,
      text: mapped.text,
      tags: {
        [FEEDBACK_TAGS.source]: input.source ?? "human",
        [FEEDBACK_TAGS.reviewer]: input.reviewer,
        [FEEDBACK_TAGS.queue]: queue.id,
      },
      timestamp: toClickHouseTime(new Date(now)),
    };
  });
  await insertFeedback(ctx.clickhouse, feedback);
  let saved: SavedLabels;
  try {
    saved = await ctx.db.transaction(async (tx): Promise<SavedLabels> => {
      const claim = await lockOwnClaim(tx, queue, input.claimId, input.reviewer);
      checkLabellable(claim);
      let replaced: { id: string; field: string; value: unknown }[] = [];
      if (claim.status === "active") {
        await tx.update(labelClaims).set({ status: "done", completedAt: now }).where(eq(labelClaims.id, claim.id));
        await tx
          .update(labelItems)
          .set({ doneCount: sql`${labelItems.doneCount} + 1` })
          .where(eq(labelItems.id, claim.itemId));
      } else {
        replaced = await tx
          .delete(labels)
          .where(eq(labels.claimId, claim.id))
          .returning({ id: labels.id, field: labels.field, value: labels.value });
      }
      await tx.insert(labels).values(stored);
      // A relabelled item keeps one answer per reviewer in the feedback too: the old rows go
      // before the new labels commit.
      await deleteFeedback(
        ctx.clickhouse,
        replaced.map((r) => r.id),
      );
      return {
        claimId: claim.id,
        inferenceId: item.inferenceId,
        before: claim.status === "active" ? null : Object.fromEntries(replaced.map((r) => [r.field, r.value])),
        after: Object.fromEntries(checked),
      };
    });
  } catch (error) {
    const ids = stored.map((label) => label.id);
    await deleteFeedback(ctx.clickhouse, ids).catch((cleanup: unknown) => {
      console.error(`[llmops] labelling: feedback ${ids.join(", ")} has no label and could not be removed`, cleanup);
    });
    throw error;
  }
  if (input.takeNext === false) return { item: null, progress: await queueProgress(ctx.db, queue, input.reviewer), saved };
  // After relabelling an earlier item this resumes the item still held, so "back, fix, submit" goes on.
  return { ...(await claimNext(ctx, { queueId: queue.id, reviewer: input.reviewer, now }, queue)), saved };
}

/** The reviewer's done item before `beforeClaimId` (or their latest), to review or relabel it. */
export async function previousItem(
  ctx: LabellingContext,
  input: { queueId: string; reviewer: string; beforeClaimId?: number },
): Promise<ReviewItem | null> {
  const queue = await getQueueOrThrow(ctx.db, input.queueId);
  const conditions = [eq(labelClaims.queueId, queue.id), eq(labelClaims.reviewer, input.reviewer), eq(labelClaims.status, "done")];
  if (input.beforeClaimId !== undefined) {
    const [pivot] = await ctx.db
      .select({ completedAt: labelClaims.completedAt })
      .from(labelClaims)
      .where(eq(labelClaims.id, input.beforeClaimId));
    if (pivot?.completedAt != null)
      conditions.push(sql`(${labelClaims.completedAt}, ${labelClaims.id}) < (${pivot.completedAt}, ${input.beforeClaimId})`);
  }
  const [prev] = await ctx.db
    .select({ id: labelClaims.id })
    .from(labelClaims)
    .where(and(...conditions))
    .orderBy(desc(labelClaims.completedAt), desc(labelClaims.id))
    .limit(1);
  return prev ? reviewItem(ctx.db, queue, Number(prev.id)) : null;
}
