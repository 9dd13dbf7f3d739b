import "server-only";
import { randomUUID } from "node:crypto";
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "@/db/client.server";
import { evaluationItems, evaluationRuns, type StoredScore } from "@/db/schema";
import { rows } from "@/lib/labelling/sql.server";

/**
 * The durable queue: work units are `evaluation_items` rows, claimed in Postgres with
 * `FOR UPDATE SKIP LOCKED` under a lease. Claims on one run are serialised by the run's row lock,
 * so the run's concurrency bound holds across every app server; a unit is finished only by the
 * holder of its lease token, so a unit whose lease expired and was taken again is never written
 * twice. Same SQL on PGlite and Postgres.
 */

export interface ClaimedUnit {
  id: number;
  runId: string;
  candidate: string;
  position: number;
  repetition: number;
  attempts: number;
  token: string;
}

export const MAX_ATTEMPTS = 3;

/** Claims up to `want` units of a queued or running run, never beyond its concurrency in flight. */
export async function claimUnits(
  db: Db,
  input: { runId: string; owner: string; want: number; leaseMs: number; now?: number },
): Promise<ClaimedUnit[]> {
  const now = input.now ?? Date.now();
  const token = randomUUID();
  return db.transaction(async (tx) => {
    // A statement of its own: waiting for the run's lock, then counting in a fresh snapshot.
    const [run] = await rows<{ concurrency: number }>(
      tx,
      sql`select concurrency from ${evaluationRuns} where id = ${input.runId} and status in ('queued', 'running') for update`,
    );
    if (!run) return [];
    const [{ n } = { n: 0 }] = await rows<{ n: number }>(
      tx,
      sql`select count(*)::int as n from ${evaluationItems} where run_id = ${input.runId} and status = 'running' and lease_until > ${now}`,
    );
    const room = Math.min(input.want, Number(run.concurrency) - Number(n));
    if (room <= 0) return [];
    const claimed = await rows<{ id: number | string; candidate: string; item_position: number; repetition: number; attempts: number }>(
      tx,
      sql`update ${evaluationItems} e set status = 'running', lease_owner = ${input.owner}, lease_token = ${token},
            lease_until = ${now + input.leaseMs}, attempts = e.attempts + 1
          from (select id from ${evaluationItems}
                where run_id = ${input.runId} and (status = 'pending' or (status = 'running' and lease_until <= ${now}))
                order by id limit ${room} for update skip locked) picked
          where e.id = picked.id
          returning e.id, e.candidate, e.item_position, e.repetition, e.attempts`,
    );
    if (claimed.length) {
      await tx
        .update(evaluationRuns)
        .set({ status: "running", startedAt: sql`coalesce(${evaluationRuns.startedAt}, ${now})` })
        .where(and(eq(evaluationRuns.id, input.runId), eq(evaluationRuns.status, "queued")));
    }
    return claimed.map((c) => ({
      id: Number(c.id),
      runId: input.runId,
      candidate: c.candidate,
      position: Number(c.item_position),
      repetition: Number(c.repetition),
      attempts: Number(c.attempts),
      token,
    }));
  });
}

/** Extends the leases of units this worker still holds. */
export async function renewLeases(db: Db, ids: number[], owner: string, leaseMs: number, now = Date.now()): Promise<void> {
  if (!ids.length) return;
  await db
    .update(evaluationItems)
    .set({ leaseUntil: now + leaseMs })
    .where(and(inArray(evaluationItems.id, ids), eq(evaluationItems.leaseOwner, owner), eq(evaluationItems.status, "running")));
}

export interface UnitOutcome {
  inferenceId: string;
  variantName: string;
  promptVersion: string;
  output: string;
  latencyMs: number;
  cost: number;
  scores: Record<string, StoredScore>;
  passed: boolean;
}

/**
 * Marks a unit done if this claim still holds it. The caller writes the unit's feedback first, so
 * a done unit always has its scores; false when the claim was lost (lease expired and taken again,
 * or the run cancelled and released), and the caller then removes the feedback it wrote.
 */
export async function completeUnit(db: Db, unit: ClaimedUnit, outcome: UnitOutcome, now = Date.now()): Promise<boolean> {
  const done = await db
    .update(evaluationItems)
    .set({ ...outcome, status: "done", leaseOwner: null, leaseToken: null, leaseUntil: null, error: null, finishedAt: now })
    .where(and(eq(evaluationItems.id, unit.id), eq(evaluationItems.leaseToken, unit.token), eq(evaluationItems.status, "running")))
    .returning({ id: evaluationItems.id });
  return done.length === 1;
}

/** A unit that failed: back to pending while attempts remain and the error may pass, else an error for good. */
export async function failUnit(db: Db, unit: ClaimedUnit, message: string, retryable: boolean, now = Date.now()): Promise<void> {
  const again = retryable && unit.attempts < MAX_ATTEMPTS;
  await db
    .update(evaluationItems)
    .set({
      status: again ? "pending" : "error",
      error: message.slice(0, 2000),
      leaseOwner: null,
      leaseToken: null,
      leaseUntil: null,
      finishedAt: again ? null : now,
    })
    .where(and(eq(evaluationItems.id, unit.id), eq(evaluationItems.leaseToken, unit.token), eq(evaluationItems.status, "running")));
}

/** Gives back units this worker holds (graceful shutdown), so another worker takes them at once. */
export async function releaseUnits(db: Db, ids: number[], owner: string): Promise<void> {
  if (!ids.length) return;
  await db
    .update(evaluationItems)
    .set({
      status: "pending",
      leaseOwner: null,
      leaseToken: null,
      leaseUntil: null,
      attempts: sql`greatest(${evaluationItems.attempts} - 1, 0)`,
    })
    .where(and(inArray(evaluationItems.id, ids), eq(evaluationItems.leaseOwner, owner), eq(evaluationItems.status, "running")));
}

/** Marks the run finished if no unit is left to do; true for the one caller that did it. */
export async function markFinishedIfDone(db: Db, runId: string, now = Date.now()): Promise<boolean> {
  const updated = await rows<{ id: string }>(
    db,
    sql`update ${evaluationRuns} set status = 'finished', finished_at = ${now}
        where id = ${runId} and status in ('queued', 'running')
          and not exists (select 1 from ${evaluationItems} where run_id = ${runId} and status in ('pending', 'running'))
        returning id`,
  );
  return updated.length === 1;
}

/** Runs with work to hand out, oldest first. */
export async function activeRuns(db: Db, limit = 20): Promise<{ id: string }[]> {
  return db
    .select({ id: evaluationRuns.id })
    .from(evaluationRuns)
    .where(inArray(evaluationRuns.status, ["queued", "running"]))
    .orderBy(evaluationRuns.createdAt)
    .limit(limit);
}
