import "server-only";
import { and, lt, ne, notInArray, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client.server";
import { labelItems, runtimeEvalJobs, runtimeEvalWindows } from "@/db/schema";
import type { GatewayConfig } from "@/lib/gateway/config";
import { toClickHouseTime } from "@/lib/inference/tables";
import { EMPTY_INPUT, EMPTY_OUTPUT } from "@/lib/pii/policy";

const DAY = 86_400_000;
/** Finished runtime evaluation jobs and counters are kept this long (the status page reads 24 h). */
const RUNTIME_KEEP_DAYS = 7;

/**
 * The Postgres side of retention: labelling snapshots of inferences older than `labelling_days`
 * (per function, else the default) are blanked — the labels stay, the copied text goes — and old
 * runtime evaluation jobs and counters are removed. Idempotent; any app server may run it.
 */
export async function sweepPostgres(db: Db, config: GatewayConfig, now = Date.now()): Promise<{ snapshots: number; jobs: number }> {
  const blank = { input: EMPTY_INPUT, output: EMPTY_OUTPUT };
  const notBlank = ne(labelItems.input, EMPTY_INPUT);
  let snapshots = 0;
  const own = Object.entries(config.functions).filter(([, f]) => f.retention?.labelling_days !== undefined);
  for (const [name, f] of own) {
    const cutoff = toClickHouseTime(new Date(now - f.retention!.labelling_days! * DAY));
    const done = await db
      .update(labelItems)
      .set(blank)
      .where(and(eq(labelItems.functionName, name), lt(labelItems.inferenceTime, cutoff), notBlank))
      .returning({ id: labelItems.id });
    snapshots += done.length;
  }
  const fallback = config.retention.labelling_days;
  if (fallback !== undefined) {
    const cutoff = toClickHouseTime(new Date(now - fallback * DAY));
    const names = own.map(([n]) => n);
    const done = await db
      .update(labelItems)
      .set(blank)
      .where(and(lt(labelItems.inferenceTime, cutoff), notBlank, names.length ? notInArray(labelItems.functionName, names) : sql`true`))
      .returning({ id: labelItems.id });
    snapshots += done.length;
  }
  const keep = now - RUNTIME_KEEP_DAYS * DAY;
  const jobs = await db
    .delete(runtimeEvalJobs)
    .where(and(sql`${runtimeEvalJobs.status} in ('done', 'error')`, lt(runtimeEvalJobs.finishedAt, keep)))
    .returning({ id: runtimeEvalJobs.id });
  await db.delete(runtimeEvalWindows).where(lt(runtimeEvalWindows.bucket, keep));
  return { snapshots, jobs: jobs.length };
}
