import { createServer } from "node:net";
import { ClickHouseLogLevel, createClient } from "@clickhouse/client";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestClickHouse, type TestClickHouse } from "@/db/test/clickhouse";
import { insertTestInferences } from "@/db/test/inferences";
import { postgresBackends, type PostgresBackend, type TestPostgres } from "@/db/test/postgres";
import { labelClaims, labelItems, labels } from "@/db/schema";
import { claimNext, previousItem, skipClaim, submitLabels } from "./claims.server";
import { createQueue, getQueueDetail } from "./queues.server";
import type { LabellingContext } from "./sql.server";

const fields = [{ key: "helpful", type: "boolean" as const }];

/** A reviewer who takes and labels items until the queue has nothing left for them. */
async function drain(ctx: LabellingContext, queueId: string, reviewer: string, value: (inferenceId: string) => boolean): Promise<string[]> {
  const labelled: string[] = [];
  let { item } = await claimNext(ctx, { queueId, reviewer });
  while (item) {
    labelled.push(item.inferenceId);
    ({ item } = await submitLabels(ctx, { queueId, claimId: item.claimId, reviewer, values: { helpful: value(item.inferenceId) } }));
  }
  return labelled;
}

/** A port nothing listens on: a ClickHouse server that is down. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function queueFeedbackIds(queueId: string): Promise<string[]> {
  const result = await ch.store.client.query({
    query: "SELECT id FROM feedback WHERE tags['llmops.queue'] = {q:String} ORDER BY id",
    query_params: { q: queueId },
    format: "JSONEachRow",
  });
  return (await result.json<{ id: string }>()).map((r) => r.id);
}

/** The labelling services' stores for the enclosing describe: ClickHouse and one Postgres backend, filled in before its tests. */
function labellingContext(backend: PostgresBackend): LabellingContext {
  const ctx = {} as LabellingContext;
  let pg: TestPostgres | undefined;
  beforeAll(async () => {
    pg = await backend.open();
    Object.assign(ctx, { db: pg.store.db, clickhouse: ch.store.client });
  });
  afterAll(() => pg?.cleanup());
  return ctx;
}

let ch: TestClickHouse;
beforeAll(async () => {
  ch = await openTestClickHouse();
  await insertTestInferences(ch.store.client, { count: 500 });
});
afterAll(() => ch?.cleanup());

describe.each(postgresBackends)("labelling claims on $name", (backend) => {
  const ctx = labellingContext(backend);

  it("10 concurrent reviewers draining a 500-item queue label each item exactly once", async () => {
    const queue = await createQueue(ctx, { name: `drain-${backend.name}`, fields });
    expect(queue.itemCount).toBe(500);
    const reviewers = Array.from({ length: 10 }, (_, i) => `reviewer-${i}`);
    const results = await Promise.all(reviewers.map((r) => drain(ctx, queue.id, r, () => true)));
    const all = results.flat();
    expect(all).toHaveLength(500);
    expect(new Set(all).size).toBe(500);
    // Work was shared, not taken by one reviewer.
    expect(results.filter((r) => r.length > 0).length).toBeGreaterThan(1);
    const stored = await ctx.db.select({ claimId: labels.claimId }).from(labels);
    expect(new Set(stored.filter(Boolean).map((s) => s.claimId)).size).toBeGreaterThanOrEqual(500);
    const detail = await getQueueDetail(ctx, queue.id);
    expect(detail).toMatchObject({ itemCount: 500, doneItems: 500, doneLabels: 500 });
    expect(detail.perReviewer.reduce((s, r) => s + r.done, 0)).toBe(500);
    // The feedback reached ClickHouse, tagged with the queue.
    const fb = await ch.store.client.query({
      query:
        "SELECT count() AS n, uniqExact(target_id) AS targets FROM feedback WHERE tags['llmops.queue'] = {q:String} AND tags['llmops.source'] = 'human'",
      query_params: { q: queue.id },
      format: "JSONEachRow",
    });
    expect((await fb.json<{ n: number | string; targets: number | string }>()).map((r) => [Number(r.n), Number(r.targets)])).toEqual([
      [500, 500],
    ]);
  });

  it("with overlap 2, labels each item exactly twice, by two distinct reviewers, and computes agreement", async () => {
    const queue = await createQueue(ctx, { name: `overlap-${backend.name}`, fields, overlap: 2, filter: { tags: { batch: "0" } } });
    expect(queue.itemCount).toBe(167);
    const reviewers = Array.from({ length: 10 }, (_, i) => `r${i}`);
    const results = await Promise.all(
      reviewers.map((r) => drain(ctx, queue.id, r, (id) => parseInt(id.slice(-2), 16) % 4 !== 0 || r === "r0")),
    );
    const byItem = new Map<string, string[]>();
    results.forEach((ids, i) => ids.forEach((id) => byItem.set(id, [...(byItem.get(id) ?? []), reviewers[i]!])));
    expect(byItem.size).toBe(167);
    for (const who of byItem.values()) {
      expect(who).toHaveLength(2);
      expect(new Set(who).size).toBe(2);
    }
    const detail = await getQueueDetail(ctx, queue.id);
    expect(detail.doneItems).toBe(167);
    expect(detail.doneLabels).toBe(334);
    expect(detail.agreement).toHaveLength(1);
    expect(detail.agreement[0]).toMatchObject({ field: "helpful", method: "fleiss", items: 167 });
  });

  it("gives an abandoned claim back after its timeout, and never the same item twice to a reviewer", async () => {
    const queue = await createQueue(ctx, {
      name: `expiry-${backend.name}`,
      fields,
      claimTimeoutSeconds: 60,
      filter: { function: "summarize" },
      sample: { size: 3, seed: 7 },
    });
    const t0 = Date.now();
    const first = await claimNext(ctx, { queueId: queue.id, reviewer: "ann", now: t0 });
    // Asking again returns the held claim, not a new item.
    expect((await claimNext(ctx, { queueId: queue.id, reviewer: "ann", now: t0 + 1000 })).item?.claimId).toBe(first.item?.claimId);
    const bob = await claimNext(ctx, { queueId: queue.id, reviewer: "bob", now: t0 + 2000 });
    expect(bob.item?.itemId).not.toBe(first.item?.itemId);
    // Ann walks away; after the timeout her item goes to the next reviewer.
    const cy = await claimNext(ctx, { queueId: queue.id, reviewer: "cy", now: t0 + 61_500 });
    expect(cy.item?.itemId).toBe(first.item?.itemId);
    await expect(
      submitLabels(ctx, { queueId: queue.id, claimId: first.item!.claimId, reviewer: "ann", values: { helpful: true }, now: t0 + 70_000 }),
    ).rejects.toThrow(/expired/);
    // Skipped items are not offered again to the one who skipped.
    const skipped = await skipClaim(ctx, { queueId: queue.id, claimId: bob.item!.claimId, reviewer: "bob", now: t0 + 3000 });
    expect(skipped.item?.itemId).not.toBe(bob.item?.itemId);
    const claims = await ctx.db.select().from(labelClaims);
    expect(claims.filter((c) => c.queueId === queue.id && c.status === "expired")).toHaveLength(1);
  });

  it("serves an assigned queue only to its reviewers", async () => {
    const queue = await createQueue(ctx, { name: `assigned-${backend.name}`, fields, reviewers: ["ann"], sample: { size: 2 } });
    await expect(claimNext(ctx, { queueId: queue.id, reviewer: "bob" })).rejects.toThrow(/assigned to ann; "bob" is not one of them/);
    expect((await claimNext(ctx, { queueId: queue.id, reviewer: "ann" })).item).not.toBeNull();
  });

  it("goes back to the previous item with its labels, and relabels it without counting it twice", async () => {
    const queue = await createQueue(ctx, {
      name: `back-${backend.name}`,
      fields: [...fields, { key: "note", type: "comment" }],
      sample: { size: 5 },
    });
    const a = await claimNext(ctx, { queueId: queue.id, reviewer: "dee" });
    const b = await submitLabels(ctx, {
      queueId: queue.id,
      claimId: a.item!.claimId,
      reviewer: "dee",
      values: { helpful: false, note: "too long" },
    });
    const prev = await previousItem(ctx, { queueId: queue.id, reviewer: "dee" });
    expect(prev).toMatchObject({ claimId: a.item!.claimId, status: "done", values: { helpful: false, note: "too long" } });
    expect(prev?.variantName).toBeUndefined();
    const after = await submitLabels(ctx, { queueId: queue.id, claimId: a.item!.claimId, reviewer: "dee", values: { helpful: true } });
    expect(after.item?.claimId).toBe(b.item?.claimId);
    // What each submission changed (the audit log's before/after): a first answer has no before.
    expect(b.saved).toEqual({
      claimId: a.item!.claimId,
      inferenceId: a.item!.inferenceId,
      before: null,
      after: { helpful: false, note: "too long" },
    });
    expect(after.saved).toMatchObject({ before: { helpful: false, note: "too long" }, after: { helpful: true } });
    expect(after.progress.mine).toBe(1);
    expect((await previousItem(ctx, { queueId: queue.id, reviewer: "dee" }))?.values).toEqual({ helpful: true });
    // The feedback holds the new answer only.
    const fb = await ch.store.client.query({
      query:
        "SELECT metric_name, value FROM feedback WHERE target_id = {id:UUID} AND tags['llmops.queue'] = {q:String} ORDER BY metric_name",
      query_params: { id: a.item!.inferenceId, q: queue.id },
      format: "JSONEachRow",
    });
    expect(await fb.json()).toEqual([{ metric_name: `back_${backend.name}.helpful`, value: 1 }]);
    const detail = await getQueueDetail(ctx, queue.id);
    expect(detail.recent).toEqual([
      expect.objectContaining({ claimId: a.item!.claimId, inferenceId: a.item!.inferenceId, reviewer: "dee", values: { helpful: true } }),
    ]);
    await expect(
      submitLabels(ctx, { queueId: queue.id, claimId: b.item!.claimId, reviewer: "dee", values: { helpful: "yes" } }),
    ).rejects.toThrow(/true or false/);
    await expect(
      submitLabels(ctx, { queueId: queue.id, claimId: b.item!.claimId, reviewer: "eve", values: { helpful: true } }),
    ).rejects.toThrow(/another reviewer/);
  });

  it("writes no label when the feedback cannot be written, and the item can be answered again", async () => {
    const queue = await createQueue(ctx, { name: `down-${backend.name}`, fields, sample: { size: 1 } });
    const { item } = await claimNext(ctx, { queueId: queue.id, reviewer: "fay" });
    const down = createClient({
      url: `http://127.0.0.1:${await closedPort()}`,
      request_timeout: 5_000,
      log: { level: ClickHouseLogLevel.OFF },
    });
    try {
      await expect(
        submitLabels(
          { ...ctx, clickhouse: down },
          { queueId: queue.id, claimId: item!.claimId, reviewer: "fay", values: { helpful: true } },
        ),
      ).rejects.toThrow();
    } finally {
      await down.close();
    }
    expect(await ctx.db.select().from(labels).where(eq(labels.claimId, item!.claimId))).toEqual([]);
    // The claim is still active: asking again gives the same item, and the answer goes through.
    expect((await claimNext(ctx, { queueId: queue.id, reviewer: "fay" })).item?.claimId).toBe(item!.claimId);
    const after = await submitLabels(ctx, { queueId: queue.id, claimId: item!.claimId, reviewer: "fay", values: { helpful: true } });
    expect(after.progress).toMatchObject({ doneItems: 1, mine: 1 });
    const stored = await ctx.db.select({ id: labels.id }).from(labels).where(eq(labels.claimId, item!.claimId));
    expect(await queueFeedbackIds(queue.id)).toEqual(stored.map((l) => l.id));
  });
});

// Postgres alone lets a transaction hold one row while others go on (PGlite runs one at a time).
describe.each(postgresBackends.filter((b) => b.name === "postgres"))("labelling claims on $name, concurrently", (backend) => {
  const ctx = labellingContext(backend);

  it("removes the feedback of labels sent on a claim that was skipped while they were written", async () => {
    const queue = await createQueue(ctx, { name: "skipped-meanwhile", fields, sample: { size: 2 } });
    const { item } = await claimNext(ctx, { queueId: queue.id, reviewer: "gil" });
    const claimId = item!.claimId;
    let submitted: Promise<unknown> | undefined;
    // Another tab holds the claim while the labels' feedback is written, and skips the item.
    await ctx.db.transaction(async (tx) => {
      await tx.select().from(labelClaims).where(eq(labelClaims.id, claimId)).for("update");
      submitted = submitLabels(ctx, { queueId: queue.id, claimId, reviewer: "gil", values: { helpful: true } });
      submitted.catch(() => {});
      await expect.poll(() => queueFeedbackIds(queue.id), { timeout: 20_000 }).toHaveLength(1);
      await tx.update(labelClaims).set({ status: "skipped", completedAt: Date.now() }).where(eq(labelClaims.id, claimId));
      await tx
        .update(labelItems)
        .set({ openClaims: sql`${labelItems.openClaims} - 1` })
        .where(eq(labelItems.id, item!.itemId));
    });
    await expect(submitted).rejects.toThrow(/You skipped this item/);
    expect(await ctx.db.select().from(labels).where(eq(labels.queueId, queue.id))).toEqual([]);
    expect(await queueFeedbackIds(queue.id)).toEqual([]);
  });
});
