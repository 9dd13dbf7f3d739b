import "server-only";
import { and, asc, eq } from "drizzle-orm";
import { lineageEdges } from "@/db/schema";
import { bucketsFor, bucketsToSeries } from "@/lib/charts/history";
import { AppError } from "@/lib/http/errors";
import { RELATIONS } from "@/lib/lineage/relations";
import type { TrackingContext } from "@/lib/tracking/context";
import { getExperiment } from "@/lib/tracking/experiments.server";
import { readHistoryBuckets } from "@/lib/tracking/history.server";
import { getRun } from "@/lib/tracking/runs.server";
import { mlflowToApp } from "./errors";
import { loadRunRows } from "./loaders.server";
import { encodeMetric, type HistoryQuery, type HistoryReply, type RunDetailReply } from "./schemas";

/** Most children listed on a run's page (a sweep can have thousands; the runs table pages them). */
const MAX_CHILDREN = 200;

export function loadRunDetail(ctx: TrackingContext, runId: string): Promise<RunDetailReply> {
  return mlflowToApp(async () => {
    const run = await getRun({ ctx, input: { runId } });
    const childEdges = await ctx.db
      .select({ id: lineageEdges.dstId })
      .from(lineageEdges)
      .where(
        and(
          eq(lineageEdges.srcKind, "run"),
          eq(lineageEdges.srcId, runId),
          eq(lineageEdges.relation, RELATIONS.parentOf),
          eq(lineageEdges.dstKind, "run"),
        ),
      )
      .orderBy(asc(lineageEdges.createdAt))
      .limit(MAX_CHILDREN);
    const [rows, experiment] = await Promise.all([
      loadRunRows(ctx, [runId, ...childEdges.map((e) => e.id)]),
      getExperiment({ ctx, input: { experimentId: run.info.experimentId } }),
    ]);
    const [row, ...children] = rows;
    if (!row) throw new AppError("not_found", `Run with id=${runId} not found`);
    const [parent] = row.parentRunId ? await loadRunRows(ctx, [row.parentRunId]) : [];
    return {
      run: row,
      experimentName: experiment.name,
      artifactUri: run.info.artifactUri,
      parent: parent ?? null,
      children,
      inputs: run.inputs.datasetInputs.map((d) => ({ ...d.dataset, tags: d.tags })),
      latest: run.data.metrics.map((m) => ({ key: m.key, value: encodeMetric(m.value), step: m.step, timestamp: m.timestamp })),
    };
  });
}

/** Downsampled histories for charts (see readHistoryBuckets), series in the order of the runs asked. */
export async function loadHistory(ctx: TrackingContext, query: HistoryQuery): Promise<HistoryReply> {
  const runIds = [...new Set(query.runs)];
  const keys = [...new Set(query.keys)];
  const buckets = query.buckets ?? bucketsFor(runIds.length, keys.length);
  const rows = await readHistoryBuckets(ctx.clickhouse, { runIds, keys, x: query.x, buckets });
  const series = bucketsToSeries(
    rows.map((r) => ({
      runId: r.run_id,
      key: r.key,
      xLo: r.x_lo,
      yLo: r.y_lo,
      xHi: r.x_hi,
      yHi: r.y_hi,
      xFirst: r.x_first,
      yFirst: r.y_first,
      xLast: r.x_last,
      yLast: r.y_last,
      n: r.n,
    })),
  );
  const order = new Map(runIds.map((id, i) => [id, i]));
  series.sort((a, b) => (order.get(a.runId) ?? 0) - (order.get(b.runId) ?? 0) || keys.indexOf(a.key) - keys.indexOf(b.key));
  return { series, buckets };
}
