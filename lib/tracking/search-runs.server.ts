import "server-only";
import { and, count, getTableColumns, inArray, type SQL } from "drizzle-orm";
import { runs } from "@/db/schema";
import type { TrackingContext } from "./context";
import { SEARCH_MAX_RESULTS_THRESHOLD, validateMaxResults } from "./experiments.server";
import { pageOf, parsePageToken } from "./page-token";
import { parseRunFilter, parseRunOrderBy } from "./run-filter";
import { compileRunSearch, type RunSearchSql } from "./run-search-sql";
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
 * runs/search: MLflow's filter DSL and order_by compiled to parameterised queries over the
 * experiments asked for, one page at a time (offset tokens, as MLflow's). A search may be several
 * consecutive segments (see compileRunSearch); the page offset is carried across them. The page's
 * runs are then loaded in four batched queries.
 */
export async function searchRuns({ ctx, input }: { ctx: TrackingContext; input: SearchRunsInput }): Promise<{ runs: Run[]; nextPageToken?: string }> {
  validateMaxResults(input.maxResults, SEARCH_MAX_RESULTS_THRESHOLD);
  const experimentIds = input.experimentIds.map(parseExperimentId);
  const segments = compileRunSearch(parseRunFilter(input.filter), parseRunOrderBy(input.orderBy), experimentIds.length);
  const offset = parsePageToken(input.pageToken);
  if (experimentIds.length === 0) return { runs: [] };

  const scope = [inArray(runs.experimentId, experimentIds), inArray(runs.lifecycleStage, stagesFor(input.viewType))];
  const rows: RunRow[] = [];
  let skip = offset;
  for (const segment of segments) {
    const wanted = input.maxResults + 1 - rows.length;
    if (wanted <= 0) break;
    let query = ctx.db.select(getTableColumns(runs)).from(runs).$dynamic();
    for (const join of segment.joins) query = join.inner ? query.innerJoin(join.table, join.on) : query.leftJoin(join.table, join.on);
    const found = await query.where(and(...scope, ...segment.where)).orderBy(...segment.orderBy).limit(wanted).offset(skip);
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
