import "server-only";
import type { ClickHouseClient } from "@clickhouse/client";
import { z } from "zod";
import { invalidParameter } from "@/lib/mlflow/errors";
import { FilterBuilder, compileTraceFilter, compileTraceOrder } from "./search-filter";
import { traceSummarySql } from "./store.server";
import { traceSummarySchema, type TraceState, type TraceSummary } from "./tables";

/** Trace search over the roll-up table: MLflow's filter DSL plus the dashboard's typed filters. */
export const SEARCH_TRACES_MAX_RESULTS = 500;

export interface TraceSearch {
  /** "all" (the dashboard without an experiment filter) searches every experiment. */
  experimentIds: string[] | "all";
  filter?: string;
  orderBy?: string[];
  maxResults: number;
  pageToken?: string;
  /** The dashboard's filters, ANDed with `filter`. */
  sessionId?: string;
  userId?: string;
  /** Case-insensitive substring of the root span's name, request or response. */
  text?: string;
  states?: TraceState[];
  minLatencyMs?: number;
  maxLatencyMs?: number;
  /** Start time bounds, epoch milliseconds. */
  fromMs?: number;
  toMs?: number;
}

const tokenSchema = z.object({ offset: z.number().int().min(0) });

function readToken(token: string | undefined): number {
  if (!token) return 0;
  try {
    return tokenSchema.parse(JSON.parse(Buffer.from(token, "base64").toString("utf8"))).offset;
  } catch {
    throw invalidParameter(`Invalid page token '${token}'.`);
  }
}

const writeToken = (offset: number) => Buffer.from(JSON.stringify({ offset })).toString("base64");

export async function searchTraces(
  client: ClickHouseClient,
  search: TraceSearch,
): Promise<{ traces: TraceSummary[]; nextPageToken?: string }> {
  if (search.experimentIds !== "all" && search.experimentIds.length === 0)
    throw invalidParameter("At least one experiment ID must be specified.");
  if (search.maxResults < 1 || search.maxResults > SEARCH_TRACES_MAX_RESULTS) {
    throw invalidParameter(
      `Invalid value ${search.maxResults} for parameter 'max_results' supplied. It must be between 1 and ${SEARCH_TRACES_MAX_RESULTS}.`,
    );
  }
  const offset = readToken(search.pageToken);
  const b = compileTraceFilter(search.filter, new FilterBuilder());
  if (search.sessionId) b.conditions.push(`t_session = ${b.param(search.sessionId, "String")}`);
  if (search.userId) b.conditions.push(`t_user = ${b.param(search.userId, "String")}`);
  if (search.text) {
    const text = b.param(search.text, "String");
    b.conditions.push(
      `(positionCaseInsensitiveUTF8(t_name, ${text}) > 0 OR positionCaseInsensitiveUTF8(t_request, ${text}) > 0 OR positionCaseInsensitiveUTF8(t_response, ${text}) > 0)`,
    );
  }
  if (search.states?.length) b.conditions.push(`t_state IN ${b.param(search.states, "Array(String)")}`);
  if (search.minLatencyMs !== undefined) b.conditions.push(`t_latency_ms >= ${b.param(search.minLatencyMs, "Float64")}`);
  if (search.maxLatencyMs !== undefined) b.conditions.push(`t_latency_ms <= ${b.param(search.maxLatencyMs, "Float64")}`);
  if (search.fromMs !== undefined) b.conditions.push(`t_start >= fromUnixTimestamp64Milli(${b.param(search.fromMs, "Int64")}, 'UTC')`);
  if (search.toMs !== undefined) b.conditions.push(`t_start < fromUnixTimestamp64Milli(${b.param(search.toMs, "Int64")}, 'UTC')`);

  const result = await client.query({
    query: traceSummarySql({
      where: search.experimentIds === "all" ? "1" : `experiment_id IN ${b.param(search.experimentIds, "Array(String)")}`,
      having: b.conditions.join(" AND ") || undefined,
      orderBy: compileTraceOrder(search.orderBy ?? []),
      limit: `${b.param(search.maxResults + 1, "UInt32")} OFFSET ${b.param(offset, "UInt32")}`,
    }),
    query_params: b.params,
    format: "JSON",
  });
  const rows = traceSummarySchema.array().parse((await result.json()).data);
  const more = rows.length > search.maxResults;
  return { traces: rows.slice(0, search.maxResults), nextPageToken: more ? writeToken(offset + search.maxResults) : undefined };
}
