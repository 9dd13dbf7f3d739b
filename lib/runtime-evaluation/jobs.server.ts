import "server-only";
import { randomUUID } from "node:crypto";
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "@/db/client.server";
import { runtimeEvalJobs, runtimeEvalWindows } from "@/db/schema";
import { rows } from "@/lib/labelling/sql.server";

/**
 * The runtime evaluation queue in Postgres: one job per sampled inference, claimed with
 * `FOR UPDATE SKIP LOCKED` under a lease; only the holder of a job's lease token may finish it.
 * Same SQL on PGlite and Postgres.
 */

export interface NewJob {
  functionName: string;
  inferenceId: string;
  inferenceAt: number;
}

export interface ClaimedJob {
  id: number;
  functionName: string;
  inferenceId: string;
  inferenceAt: number;
  attempts: number;
  token: string;
}

/** Jobs waiting or in flight, per function: the backlog that drives backpressure. */
export async function backlogByFunction(db: Db, functions: string[]): Promise<Map<string, number>> {
  if (!functions.length) return new Map();
  const found = await db
    .select({ fn: runtimeEvalJobs.functionName, n: sql<number>`count(*)::int` })
    .from(runtimeEvalJobs)
    .where(and(inArray(runtimeEvalJobs.status, ["pending", "running"]), inArray(runtimeEvalJobs.functionName, functions)))
    .groupBy(runtimeEvalJobs.functionName);
  return new Map(found.map((r) => [r.fn, Number(r.n)]));
}

/** Adds jobs (an inference already queued is left alone) and the minute's counters, in one transaction. */
export async function enqueue(
  db: Db,
  input: { jobs: NewJob[]; windows: { functionName: string; bucket: number; seen: number; sampled: number; shed: number; rate: number }[] },
  now = Date.now(),
  delayMs = 0,
): Promise<number> {
  return db.transaction(async (tx) => {
    let added = 0;
    for (let i = 0; i < input.jobs.length; i += 1000) {
      const chunk = input.jobs.slice(i, i + 1000);
      const inserted = await tx
        .insert(runtimeEvalJobs)
        .values(chunk.map((j) => ({ ...j, notBefore: now + delayMs, createdAt: now })))
        .onConflictDoNothing()
        .returning({ id: runtimeEvalJobs.id });
      added += inserted.length;
    }
    for (const w of input.windows) {
      await tx
        .insert(runtimeEvalWindows)
        .values({ functionName: w.functionName, bucket: w.bucket, seen: w.seen, sampled: w.sampled, shed: w.shed, effectiveRate: w.rate })
        .onConflictDoUpdate({
          target: [runtimeEvalWindows.functionName, runtimeEvalWindows.bucket],
          set: {
            seen: sql`${runtimeEvalWindows.seen} + excluded.seen`,
            sampled: sql`${runtimeEvalWindows.sampled} + excluded.sampled`,
            shed: sql`${runtimeEvalWindows.shed} + excluded.shed`,
            effectiveRate: sql`least(${runtimeEvalWindows.effectiveRate}, excluded.effective_rate)`,
          },
        });
    }
    return added;
  });
}

export async function claimJobs(db: Db, input: { owner: string; want: number; leaseMs: number; now?: number }): Promise<ClaimedJob[]> {
  const now = input.now ?? Date.now();
  const token = randomUUID();
  const claimed = await rows<{
    id: number | string;
    function_name: string;
    inference_id: string;
    inference_at: number | string;
    attempts: number;
  }>(
    db,
    sql`update ${runtimeEvalJobs} j set status = 'running', lease_owner = ${input.owner}, lease_token = ${token},
          lease_until = ${now + input.leaseMs}, attempts = j.attempts + 1
        from (select id from ${runtimeEvalJobs}
              where (status = 'pending' and not_before <= ${now}) or (status = 'running' and lease_until <= ${now})
              order by id limit ${input.want} for update skip locked) picked
        where j.id = picked.id
        returning j.id, j.function_name, j.inference_id, j.inference_at, j.attempts`,
  );
  return claimed.map((c) => ({
    id: Number(c.id),
    functionName: c.function_name,
    inferenceId: c.inference_id,
    inferenceAt: Number(c.inference_at),
    attempts: Number(c.attempts),
    token,
  }));
}

const held = (job: ClaimedJob) =>
  and(eq(runtimeEvalJobs.id, job.id), eq(runtimeEvalJobs.leaseToken, job.token), eq(runtimeEvalJobs.status, "running"));
const released = { leaseOwner: null, leaseToken: null, leaseUntil: null };

/** Finishes a job if this claim still holds it; false when the claim was lost (the caller takes its scores back). */
export async function completeJob(
  db: Db,
  job: ClaimedJob,
  outcome: { scores: number; judgeCalls: number; judgeCost: number; error: string | null },
  now = Date.now(),
): Promise<boolean> {
  const done = await db
    .update(runtimeEvalJobs)
    .set({ ...outcome, ...released, status: "done", finishedAt: now })
    .where(held(job))
    .returning({ id: runtimeEvalJobs.id });
  return done.length === 1;
}

/** Back to the queue after `delayMs` (the inference is not in the log yet), or an error for good. */
export async function retryJob(db: Db, job: ClaimedJob, delayMs: number, now = Date.now()): Promise<void> {
  await db
    .update(runtimeEvalJobs)
    .set({ ...released, status: "pending", notBefore: now + delayMs })
    .where(held(job));
}

export async function failJob(db: Db, job: ClaimedJob, message: string, now = Date.now()): Promise<void> {
  await db
    .update(runtimeEvalJobs)
    .set({ ...released, status: "error", error: message.slice(0, 2000), finishedAt: now })
    .where(held(job));
}

export async function renewJobLeases(db: Db, ids: number[], owner: string, leaseMs: number, now = Date.now()): Promise<void> {
  if (!ids.length) return;
  await db
    .update(runtimeEvalJobs)
    .set({ leaseUntil: now + leaseMs })
    .where(and(inArray(runtimeEvalJobs.id, ids), eq(runtimeEvalJobs.leaseOwner, owner), eq(runtimeEvalJobs.status, "running")));
}

/** Gives back jobs this worker holds (graceful shutdown), so another worker takes them at once. */
export async function releaseJobs(db: Db, ids: number[], owner: string): Promise<void> {
  if (!ids.length) return;
  await db
    .update(runtimeEvalJobs)
    .set({ ...released, status: "pending", attempts: sql`greatest(${runtimeEvalJobs.attempts} - 1, 0)` })
    .where(and(inArray(runtimeEvalJobs.id, ids), eq(runtimeEvalJobs.leaseOwner, owner), eq(runtimeEvalJobs.status, "running")));
}
