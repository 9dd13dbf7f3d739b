import "server-only";
import { and, desc, eq, inArray } from "drizzle-orm";
import { experiments } from "@/db/schema/experiments";
import { latestMetrics, runTags, runs } from "@/db/schema/runs";
import { countTracesByRun } from "@/lib/traces/store.server";
import type { EvaluationsContext } from "./runs.server";
import type { MlflowGenaiRunEntry } from "./schemas";

/**
 * Runs made by MLflow's own `mlflow.genai.evaluate` against this server. MLflow marks them with
 * the tag `mlflow.run.isEval = true` (mlflow/utils/mlflow_tags.py), logs one trace per row linked
 * to the run with the scorers' feedback on it, and `<scorer>/mean` metrics at the end.
 */
export const MLFLOW_RUN_IS_EVAL_TAG = "mlflow.run.isEval";

export async function listMlflowGenaiRuns(ctx: EvaluationsContext, limit = 200): Promise<MlflowGenaiRunEntry[]> {
  const rows = await ctx.db
    .select({
      runId: runs.runId,
      experimentId: runs.experimentId,
      experimentName: experiments.name,
      name: runs.name,
      status: runs.status,
      startTime: runs.startTime,
      endTime: runs.endTime,
    })
    .from(runs)
    .innerJoin(runTags, and(eq(runTags.runId, runs.runId), eq(runTags.key, MLFLOW_RUN_IS_EVAL_TAG), eq(runTags.value, "true")))
    .innerJoin(experiments, eq(experiments.experimentId, runs.experimentId))
    .where(eq(runs.lifecycleStage, "active"))
    .orderBy(desc(runs.startTime), runs.runId)
    .limit(limit);
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.runId);
  const metrics = await ctx.db
    .select({ runId: latestMetrics.runId, key: latestMetrics.key, value: latestMetrics.value })
    .from(latestMetrics)
    .where(inArray(latestMetrics.runId, ids));
  const byRun = new Map<string, Record<string, number>>();
  // NaN and ±Infinity have no JSON form: left out here (runs/get still has them).
  for (const m of metrics) if (Number.isFinite(m.value)) byRun.set(m.runId, { ...byRun.get(m.runId), [m.key]: m.value });
  const traces = await countTracesByRun(ctx.clickhouse, ids);
  return rows.map((r) => ({
    ...r,
    experimentId: String(r.experimentId),
    metrics: byRun.get(r.runId) ?? {},
    traces: traces.get(r.runId) ?? 0,
  }));
}
