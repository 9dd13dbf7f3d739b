import "server-only";
import { and, asc, count, desc, eq, ilike, inArray, sql, type SQL } from "drizzle-orm";
import { containsLike } from "@/lib/find/pattern";
import {
  experimentTags,
  experiments,
  latestMetrics,
  lineageEdges,
  modelVersions,
  registeredModelTags,
  runParams,
  runs,
  runTags,
} from "@/db/schema";
import { RELATIONS } from "@/lib/lineage/relations";
import { IS_PROMPT_TAG } from "@/lib/registry/prompts";
import type { TrackingContext } from "@/lib/tracking/context";
import { createPageToken } from "@/lib/tracking/page-token";
import { parseRunFilter } from "@/lib/tracking/run-filter";
import { compileRunSearch } from "@/lib/tracking/run-search-sql";
import { loadRuns } from "@/lib/tracking/runs.server";
import { searchRuns } from "@/lib/tracking/search-runs.server";
import { DATASET_CONTEXT_TAG, PARENT_RUN_TAG } from "@/lib/tracking/tags";
import { stagesFor, type Run, type ViewType } from "@/lib/tracking/types";
import { parseExperimentId } from "@/lib/tracking/validation";
import { orderByFor } from "./columns";
import { mlflowToApp } from "./errors";
import {
  encodeMetric,
  type ColumnsReply,
  type ExperimentsState,
  type ExperimentsReply,
  type RunRowData,
  type RunsReply,
  type View,
} from "./schemas";

/** Page loaders of the experiments area: called by the pages to prefetch and by the JSON routes. */
export const VIEW_TYPE: Record<View, ViewType> = { active: "ACTIVE_ONLY", deleted: "DELETED_ONLY", all: "ALL" };

export async function listExperimentSummaries(
  ctx: TrackingContext,
  state: Pick<ExperimentsState, "q" | "view" | "sort" | "dir">,
): Promise<ExperimentsReply> {
  const activeRuns = ctx.db
    .select({ experimentId: runs.experimentId, n: count().as("n"), last: sql<number | null>`max(${runs.startTime})`.as("last") })
    .from(runs)
    .where(eq(runs.lifecycleStage, "active"))
    .groupBy(runs.experimentId)
    .as("active_runs");
  const where: SQL[] = [inArray(experiments.lifecycleStage, stagesFor(VIEW_TYPE[state.view]))];
  if (state.q.trim()) where.push(ilike(experiments.name, containsLike(state.q.trim())));
  const direction = state.dir === "asc" ? asc : desc;
  const runCount = sql<number>`coalesce(${activeRuns.n}, 0)`;
  const lastActivity = sql<number>`greatest(${experiments.lastUpdateTime}, coalesce(${activeRuns.last}, 0))`;
  const order = { name: experiments.name, created: experiments.creationTime, activity: lastActivity, runs: runCount }[state.sort];
  const rows = await ctx.db
    .select({
      experimentId: experiments.experimentId,
      name: experiments.name,
      lifecycleStage: experiments.lifecycleStage,
      creationTime: experiments.creationTime,
      lastUpdateTime: experiments.lastUpdateTime,
      runCount,
      lastRunTime: activeRuns.last,
      description: experimentTags.value,
    })
    .from(experiments)
    .leftJoin(activeRuns, eq(activeRuns.experimentId, experiments.experimentId))
    .leftJoin(experimentTags, and(eq(experimentTags.experimentId, experiments.experimentId), eq(experimentTags.key, "mlflow.note.content")))
    .where(and(...where))
    .orderBy(direction(order), asc(experiments.experimentId))
    .limit(1000);
  return {
    experiments: rows.map((r) => ({
      ...r,
      experimentId: String(r.experimentId),
      runCount: Number(r.runCount),
      lastRunTime: r.lastRunTime === null ? null : Number(r.lastRunTime),
    })),
  };
}

export interface RunsQuery {
  experimentIds: string[];
  filter: string;
  sort: string;
  dir: "asc" | "desc";
  page: number;
  size: number;
  view: View;
}

/** Extra facts the runs table shows beside each run: children, parent, datasets, registered versions. */
async function decorate(ctx: TrackingContext, found: Run[]): Promise<RunRowData[]> {
  const ids = found.map((r) => r.info.runId);
  if (ids.length === 0) return [];
  const [children, versions] = await Promise.all([
    ctx.db
      .select({ parent: lineageEdges.srcId, n: count() })
      .from(lineageEdges)
      .where(and(eq(lineageEdges.srcKind, "run"), inArray(lineageEdges.srcId, ids), eq(lineageEdges.relation, RELATIONS.parentOf)))
      .groupBy(lineageEdges.srcId),
    ctx.db
      .select({ name: modelVersions.name, version: modelVersions.version, runId: modelVersions.runId, prompt: registeredModelTags.value })
      .from(modelVersions)
      .leftJoin(registeredModelTags, and(eq(registeredModelTags.name, modelVersions.name), eq(registeredModelTags.key, IS_PROMPT_TAG)))
      .where(inArray(modelVersions.runId, ids))
      .orderBy(asc(modelVersions.name), asc(modelVersions.version)),
  ]);
  const childCount = new Map(children.map((c) => [c.parent, Number(c.n)]));
  return found.map((run) => {
    const tags = Object.fromEntries(run.data.tags.map((t) => [t.key, t.value]));
    return {
      runId: run.info.runId,
      runName: run.info.runName,
      experimentId: run.info.experimentId,
      userId: run.info.userId,
      status: run.info.status,
      startTime: run.info.startTime,
      endTime: run.info.endTime,
      lifecycleStage: run.info.lifecycleStage,
      parentRunId: tags[PARENT_RUN_TAG] ?? null,
      childCount: childCount.get(run.info.runId) ?? 0,
      datasets: run.inputs.datasetInputs.map((d) => ({
        name: d.dataset.name,
        digest: d.dataset.digest,
        context: d.tags.find((t) => t.key === DATASET_CONTEXT_TAG)?.value ?? null,
      })),
      models: versions
        .filter((v) => v.runId === run.info.runId)
        .map((v) => ({ name: v.name, version: v.version, isPrompt: v.prompt?.toLowerCase() === "true" })),
      metrics: Object.fromEntries(run.data.metrics.map((m) => [m.key, encodeMetric(m.value)])),
      params: Object.fromEntries(run.data.params.map((p) => [p.key, p.value])),
      tags,
    };
  });
}

/** Runs matching the filter, all pages (the count shown above the table). */
async function countRuns(ctx: TrackingContext, experimentIds: number[], filter: string, view: View): Promise<number> {
  const [segment] = compileRunSearch(parseRunFilter(filter), [], experimentIds.length);
  const [row] = await ctx.db
    .select({ n: count() })
    .from(runs)
    .where(
      and(inArray(runs.experimentId, experimentIds), inArray(runs.lifecycleStage, stagesFor(VIEW_TYPE[view])), ...(segment?.where ?? [])),
    );
  return Number(row?.n ?? 0);
}

/** One page of the runs table: the same search as runs/search (filter DSL, order_by, offsets). */
export function listRunsPage(ctx: TrackingContext, query: RunsQuery): Promise<RunsReply> {
  return mlflowToApp(async () => {
    const experimentIds = query.experimentIds.map((id) => String(parseExperimentId(id)));
    if (experimentIds.length === 0) return { runs: [], total: 0, hasNext: false };
    const order = orderByFor(query.sort, query.dir);
    const offset = (query.page - 1) * query.size;
    const [page, total] = await Promise.all([
      searchRuns({
        ctx,
        input: {
          experimentIds,
          filter: query.filter,
          viewType: VIEW_TYPE[query.view],
          maxResults: query.size,
          orderBy: order ? [order] : [],
          pageToken: offset > 0 ? createPageToken(offset) : undefined,
        },
      }),
      countRuns(ctx, experimentIds.map(Number), query.filter, query.view),
    ]);
    return { runs: await decorate(ctx, page.runs), total, hasNext: page.nextPageToken !== undefined };
  });
}

/** Full rows for the given runs (compare view, run detail), in the order asked; unknown ids are left out. */
export async function loadRunRows(ctx: TrackingContext, runIds: string[]): Promise<RunRowData[]> {
  if (runIds.length === 0) return [];
  const rows = await ctx.db.select().from(runs).where(inArray(runs.runId, runIds));
  const byId = new Map(rows.map((r) => [r.runId, r]));
  const ordered = runIds.flatMap((id) => {
    const row = byId.get(id);
    return row ? [row] : [];
  });
  return decorate(ctx, await loadRuns(ctx.db, ordered));
}

/** How many of the most recent runs the param and tag key lists are read from. */
const KEY_SAMPLE_RUNS = 2000;

/**
 * Keys the column chooser offers. Metric keys are exact (a loose index scan of the experiment's
 * metric index: one probe per distinct key); params and tags come from the most recent runs,
 * which is what a column chooser needs without reading every row of 100,000 runs.
 */
export async function listColumnKeys(ctx: TrackingContext, experimentIdsText: string[]): Promise<ColumnsReply> {
  return mlflowToApp(async () => {
    const experimentIds = experimentIdsText.map((id) => parseExperimentId(id));
    if (experimentIds.length === 0) return { metrics: [], params: [], tags: [] };
    const metricKeys = await Promise.all(
      experimentIds.map(async (experimentId) => {
        const result = await ctx.db.execute<{ key: string }>(sql`
          with recursive k(key) as (
            (select ${latestMetrics.key} from ${latestMetrics} where ${latestMetrics.experimentId} = ${experimentId} order by ${latestMetrics.key} limit 1)
            union all
            select (select ${latestMetrics.key} from ${latestMetrics} where ${latestMetrics.experimentId} = ${experimentId} and ${latestMetrics.key} > k.key order by ${latestMetrics.key} limit 1)
            from k where k.key is not null
          ) select key from k where key is not null`);
        return rowsOf<{ key: string }>(result).map((r) => r.key);
      }),
    );
    const recent = ctx.db
      .select({ runId: runs.runId })
      .from(runs)
      .where(inArray(runs.experimentId, experimentIds))
      .orderBy(desc(runs.startTime))
      .limit(KEY_SAMPLE_RUNS)
      .as("recent");
    const [params, tags] = await Promise.all([
      ctx.db
        .selectDistinct({ key: runParams.key })
        .from(runParams)
        .innerJoin(recent, eq(recent.runId, runParams.runId))
        .orderBy(asc(runParams.key))
        .limit(500),
      ctx.db
        .selectDistinct({ key: runTags.key })
        .from(runTags)
        .innerJoin(recent, eq(recent.runId, runTags.runId))
        .orderBy(asc(runTags.key))
        .limit(500),
    ]);
    return {
      metrics: [...new Set(metricKeys.flat())].sort(),
      params: params.map((p) => p.key),
      tags: tags.map((t) => t.key),
    };
  });
}

/** drizzle's execute() returns rows directly on postgres.js and `{ rows }` on PGlite. */
function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}
