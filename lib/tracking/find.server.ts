import "server-only";
import { and, eq, or } from "drizzle-orm";
import type { Db } from "@/db/client.server";
import { experiments, runs } from "@/db/schema";
import { nameMatch } from "@/lib/find/match.server";

/** Name lookups for search everywhere (lib/find): active experiments and runs only, at most `limit`. */

export async function findExperiments(db: Db, text: string, limit: number) {
  const m = nameMatch(experiments.name, text);
  const byId = /^\d{1,15}$/.test(text) ? eq(experiments.experimentId, Number(text)) : undefined;
  return db
    .select({ id: experiments.experimentId, name: experiments.name })
    .from(experiments)
    .where(and(eq(experiments.lifecycleStage, "active"), byId ? or(m.where, byId) : m.where))
    .orderBy(...m.order)
    .limit(limit);
}

/** Runs by name, or by their id when the text is one (MLflow run ids are 32 hex digits). */
export async function findRuns(db: Db, text: string, limit: number) {
  const m = nameMatch(runs.name, text);
  const byId = /^[0-9a-f]{32}$/i.test(text) ? eq(runs.runId, text.toLowerCase()) : undefined;
  return db
    .select({ runId: runs.runId, name: runs.name, experimentId: runs.experimentId, experimentName: experiments.name })
    .from(runs)
    .innerJoin(experiments, eq(experiments.experimentId, runs.experimentId))
    .where(and(eq(runs.lifecycleStage, "active"), byId ? or(m.where, byId) : m.where))
    .orderBy(...m.order)
    .limit(limit);
}
