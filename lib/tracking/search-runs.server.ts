import "server-only";
import { and, getTableColumns, inArray } from "drizzle-orm";
import { runs } from "@/db/schema";
import type { TrackingContext } from "./context";
import { SEARCH_MAX_RESULTS_THRESHOLD, validateMaxResults } from "./experiments.server";
import { pageOf, parsePageToken } from "./page-token";
import { parseRunFilter, parseRunOrderBy } from "./run-filter";
import { runClauseSql, runOrderSql } from "./run-search-sql";
import { loadRuns } from "./runs.server";
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

/**
 * runs/search: MLflow's filter DSL and order_by compiled to one parameterised query over the
 * experiments asked for, one page at a time (offset tokens, as MLflow's). The page's runs are then
 * loaded in four batched queries.
 */
export async function searchRuns({ ctx, input }: { ctx: TrackingContext; input: SearchRunsInput }): Promise<{ runs: Run[]; nextPageToken?: string }> {
  validateMaxResults(input.maxResults, SEARCH_MAX_RESULTS_THRESHOLD);
  const experimentIds = input.experimentIds.map(parseExperimentId);
  const clauses = parseRunFilter(input.filter);
  const { joins, orderBy } = runOrderSql(parseRunOrderBy(input.orderBy));
  const offset = parsePageToken(input.pageToken);
  if (experimentIds.length === 0) return { runs: [] };

  let query = ctx.db.select(getTableColumns(runs)).from(runs).$dynamic();
  for (const join of joins) query = query.leftJoin(join.table, join.on);
  const rows = await query
    .where(and(inArray(runs.experimentId, experimentIds), inArray(runs.lifecycleStage, stagesFor(input.viewType)), ...clauses.map(runClauseSql)))
    .orderBy(...orderBy)
    .limit(input.maxResults + 1)
    .offset(offset);
  const page = pageOf(rows, offset, input.maxResults);
  return { runs: await loadRuns(ctx.db, page.items), nextPageToken: page.nextPageToken };
}
