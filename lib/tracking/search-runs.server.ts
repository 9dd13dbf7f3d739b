import "server-only";
import { and, asc, count, desc, eq, getTableColumns, inArray, sql, type SQL } from "drizzle-orm";
import { latestMetrics, runs } from "@/db/schema";
import type { TrackingContext } from "./context";
import { SEARCH_MAX_RESULTS_THRESHOLD, validateMaxResults } from "./experiments.server";
import { pageOf, parsePageToken } from "./page-token";
import { parseRunFilter, parseRunOrderBy } from "./run-filter";
import { compileRunSearch, metricCondition, windowPlan, type RunSearchSql, type WindowPlan } from "./run-search-sql";
import { loadRuns, type RunRow } from "./runs.server";
import { stagesFor, type Run, type ViewType } from "./types";
import { parseExperimentId } from "./validation";

export interface SearchRunsInput {
  experimentIds: string[];
  filter?: string;
  viewType: ViewType;
  maxResults: number;
  orderBy: string[];
  pageToken?: string;
}

/** How many runs a segment holds, for a page that starts beyond it. */
async function countSegment(ctx: TrackingContext, segment: RunSearchSql, scope: SQL[]): Promise<number> {
  let query = ctx.db.select({ n: count() }).from(runs).$dynamic();
  for (const join of segment.joins.filter((j) => j.inner)) query = query.innerJoin(join.table, join.on);
  const [total] = await query.where(and(...scope, ...segment.where));
  return total?.n ?? 0;
}

/**
 * A page of a search sorted first on a metric and filtered on other things, read from a bounded
 * window: the experiment's best `window` runs for that metric (an index walk), then the filters.
 * Returns undefined unless that window provably holds the whole page — the page must end on a value
 * strictly better than the window's last — and the caller then sorts every match instead. So the
 * first pages of "best runs by accuracy among these" stay fast whatever the filters' correlation.
 */
async function searchWindow(
  ctx: TrackingContext,
  plan: WindowPlan,
  experimentId: number,
  scope: SQL[],
  offset: number,
  wanted: number,
): Promise<RunRow[] | undefined> {
  // 50× the rows needed: enough for filters that keep 2% of the runs, and still a bounded walk.
  const window = Math.max(5000, 50 * (offset + wanted));
  const metric = latestMetrics;
  const inWindow = and(
    eq(metric.experimentId, experimentId),
    eq(metric.key, plan.key),
    sql`${metric.value} <> 'NaN'::float8`,
    ...plan.onKey.map((f) => metricCondition(metric, f)),
  );
  const byValue = plan.ascending ? asc(metric.value) : desc(metric.value);
  const [edge] = await ctx.db
    .select({ value: metric.value })
    .from(metric)
    .where(inWindow)
    .orderBy(byValue)
    .offset(window - 1)
    .limit(1);
  const candidates = ctx.db
    .$with("candidates")
    .as(ctx.db.select({ runId: metric.runId, value: metric.value }).from(metric).where(inWindow).orderBy(byValue).limit(window));
  let query = ctx.db
    .with(candidates)
    .select({ ...getTableColumns(runs), sortValue: candidates.value })
    .from(candidates)
    .innerJoin(runs, eq(runs.runId, candidates.runId))
    .$dynamic();
  for (const join of plan.rest.joins) query = query.leftJoin(join.table, join.on);
  const rows = await query
    .where(and(...scope, ...plan.others))
    .orderBy(plan.ascending ? asc(candidates.value) : desc(candidates.value), ...plan.rest.orderBy)
    .limit(wanted)
    .offset(offset);
  const last = rows.at(-1);
  if (rows.length < wanted || !last) return undefined;
  if (edge && !(plan.ascending ? last.sortValue < edge.value : last.sortValue > edge.value)) return undefined;
  return rows.map(({ sortValue: _sortValue, ...row }) => row);
}

/**
 * runs/search: MLflow's filter DSL and order_by compiled to parameterised queries over the
 * experiments asked for, one page at a time (offset tokens, as MLflow's). A search may be several
 * consecutive segments (see compileRunSearch); the page offset is carried across them. The page's
 * runs are then loaded in four batched queries.
 */
export async function searchRuns({
  ctx,
  input,
}: {
  ctx: TrackingContext;
  input: SearchRunsInput;
}): Promise<{ runs: Run[]; nextPageToken?: string }> {
  validateMaxResults(input.maxResults, SEARCH_MAX_RESULTS_THRESHOLD);
  const experimentIds = input.experimentIds.map(parseExperimentId);
  const clauses = parseRunFilter(input.filter);
  const orders = parseRunOrderBy(input.orderBy);
  const segments = compileRunSearch(clauses, orders, experimentIds.length);
  const offset = parsePageToken(input.pageToken);
  if (experimentIds.length === 0) return { runs: [] };

  const scope = [inArray(runs.experimentId, experimentIds), inArray(runs.lifecycleStage, stagesFor(input.viewType))];
  const plan = windowPlan(clauses, orders, experimentIds.length);
  const [experimentId] = experimentIds;
  const windowed =
    plan && experimentId !== undefined ? await searchWindow(ctx, plan, experimentId, scope, offset, input.maxResults + 1) : undefined;
  if (windowed) {
    const page = pageOf(windowed, offset, input.maxResults);
    return { runs: await loadRuns(ctx.db, page.items), nextPageToken: page.nextPageToken };
  }
  const rows: RunRow[] = [];
  let skip = offset;
  for (const segment of segments) {
    const wanted = input.maxResults + 1 - rows.length;
    if (wanted <= 0) break;
    let query = ctx.db.select(getTableColumns(runs)).from(runs).$dynamic();
    for (const join of segment.joins) query = join.inner ? query.innerJoin(join.table, join.on) : query.leftJoin(join.table, join.on);
    const found = await query
      .where(and(...scope, ...segment.where))
      .orderBy(...segment.orderBy)
      .limit(wanted)
      .offset(skip);
    if (found.length > 0) {
      rows.push(...found);
      skip = 0;
    } else if (skip > 0) {
      skip = Math.max(0, skip - (await countSegment(ctx, segment, scope)));
    }
  }
  const page = pageOf(rows, offset, input.maxResults);
  return { runs: await loadRuns(ctx.db, page.items), nextPageToken: page.nextPageToken };
}
