import "server-only";
import { and, eq, gte, sql } from "drizzle-orm";
import type { Db } from "@/db/client.server";
import { runtimeEvalJobs, runtimeEvalWindows } from "@/db/schema";
import type { GatewayConfig } from "@/lib/gateway/config";
import type { RuntimeStatus } from "./schemas";

const WINDOW_MS = 15 * 60_000;
const DAY_MS = 86_400_000;

/** A function's runtime evaluation as every app server sees it: configured vs applied rate, backlog, judge spend. */
export async function runtimeStatus(db: Db, config: GatewayConfig, functionName: string, now = Date.now()): Promise<RuntimeStatus | null> {
  const runtime = config.functions[functionName]?.runtime_evaluation;
  if (!runtime) return null;
  const [windows] = await db
    .select({
      seen: sql<number>`coalesce(sum(${runtimeEvalWindows.seen}), 0)::int`,
      sampled: sql<number>`coalesce(sum(${runtimeEvalWindows.sampled}), 0)::int`,
      shed: sql<number>`coalesce(sum(${runtimeEvalWindows.shed}), 0)::int`,
      minRate: sql<number | null>`min(${runtimeEvalWindows.effectiveRate})`,
    })
    .from(runtimeEvalWindows)
    .where(and(eq(runtimeEvalWindows.functionName, functionName), gte(runtimeEvalWindows.bucket, now - WINDOW_MS)));
  const [jobs] = await db
    .select({
      pending: sql<number>`count(*) filter (where ${runtimeEvalJobs.status} in ('pending', 'running'))::int`,
      done: sql<number>`count(*) filter (where ${runtimeEvalJobs.status} = 'done' and ${runtimeEvalJobs.finishedAt} >= ${now - DAY_MS})::int`,
      errors: sql<number>`count(*) filter (where (${runtimeEvalJobs.status} = 'error' or ${runtimeEvalJobs.error} is not null) and ${runtimeEvalJobs.finishedAt} >= ${now - DAY_MS})::int`,
      judgeCalls: sql<number>`coalesce(sum(${runtimeEvalJobs.judgeCalls}) filter (where ${runtimeEvalJobs.finishedAt} >= ${now - DAY_MS}), 0)::int`,
      judgeCost: sql<number>`coalesce(sum(${runtimeEvalJobs.judgeCost}) filter (where ${runtimeEvalJobs.finishedAt} >= ${now - DAY_MS}), 0)::float8`,
      lastError: sql<
        string | null
      >`(array_agg(${runtimeEvalJobs.error} order by ${runtimeEvalJobs.id} desc) filter (where ${runtimeEvalJobs.error} is not null))[1]`,
    })
    .from(runtimeEvalJobs)
    .where(
      and(
        eq(runtimeEvalJobs.functionName, functionName),
        sql`(${runtimeEvalJobs.status} in ('pending', 'running') or ${runtimeEvalJobs.finishedAt} >= ${now - DAY_MS})`,
      ),
    );
  const seen = Number(windows?.seen ?? 0);
  const sampled = Number(windows?.sampled ?? 0);
  const shed = Number(windows?.shed ?? 0);
  const backlog = Number(jobs?.pending ?? 0);
  const appliedRate = windows?.minRate === null || windows?.minRate === undefined ? runtime.sample_rate : Number(windows.minRate);
  return {
    functionName,
    sampleRate: runtime.sample_rate,
    evaluators: runtime.evaluators ?? Object.keys(config.functions[functionName]!.evaluators),
    maxBacklog: runtime.max_backlog,
    last15m: { seen, sampled, shed, share: seen ? sampled / seen : null, lowestRate: appliedRate },
    backlog,
    last24h: {
      done: Number(jobs?.done ?? 0),
      errors: Number(jobs?.errors ?? 0),
      judgeCalls: Number(jobs?.judgeCalls ?? 0),
      judgeCost: Number(jobs?.judgeCost ?? 0),
    },
    lastError: jobs?.lastError ?? null,
    backpressure:
      shed > 0
        ? `Judges are behind (${backlog} jobs waiting, max_backlog ${runtime.max_backlog}): sampling went down to ${(appliedRate * 100).toFixed(1)}% of inferences instead of ${(runtime.sample_rate * 100).toFixed(1)}%, ${shed} inferences not scored in the last 15 minutes.`
        : null,
  };
}
