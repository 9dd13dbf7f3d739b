import "server-only";
import type { ClickHouseClient } from "@clickhouse/client";
import { z } from "zod";
import { invalidParameter } from "@/lib/stores/mlflow-errors";
import { FilterBuilder, compileTraceFilter, compileTraceOrder } from "./search-filter";
import { getTraceSummaries } from "./store.server";
import type { TraceState, TraceSummary } from "./tables";

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
  /** Traces linked to this MLflow run (link-to-run or their `mlflow.sourceRun` metadata). */
  runId?: string;
  /** Case-insensitive substring of the root span's name, request or response. */
  text?: string;
  states?: TraceState[];
  minLatencyMs?: number;
  maxLatencyMs?: number;
  /** Start time bounds, epoch milliseconds. */
  fromMs?: number;
  toMs?: number;
}

/** The merged values a filter or order may use (names as in `traceSummarySql`). */
const SEARCH_AGGREGATES: Record<string, string> = {
  t_start: "min(start_time)",
  t_latency_ms: "intDiv(toUnixTimestamp64Nano(max(end_time)) - toUnixTimestamp64Nano(min(start_time)), 1000000)",
  t_state: "multiIf(max(info_state) = 3 OR max(root_error) = 1, 'ERROR', max(info_state) = 2 OR max(has_root) = 1, 'OK', 'IN_PROGRESS')",
  t_name: "max(name)",
  t_request: "max(request_preview)",
  t_response: "max(response_preview)",
  t_session: "max(session_id)",
  t_user: "max(user_id)",
  t_span_types: "groupUniqArrayArray(span_types)",
  t_span_names: "groupUniqArrayArray(span_names)",
};

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
  if (search.runId)
    b.conditions.push(
      `trace_id IN (SELECT trace_id FROM trace_tags FINAL WHERE kind = 'run' AND deleted = 0 AND key = ${b.param(search.runId, "String")})`,
    );
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

  // Phase 1 groups only the merged values the filter and order need; phase 2 reads the full
  // summaries of the page's traces by primary key.
  const order = compileTraceOrder(search.orderBy ?? []);
  const used = `${b.conditions.join(" ")} ${order}`;
  const aggregates = Object.entries(SEARCH_AGGREGATES)
    .filter(([name]) => new RegExp(`\\b${name}\\b`).test(used))
    .map(([name, sql]) => `, ${sql} AS ${name}`)
    .join("");
  const where = search.experimentIds === "all" ? "1" : `experiment_id IN ${b.param(search.experimentIds, "Array(String)")}`;
  const result = await client.query({
    query: `SELECT trace_id FROM (SELECT trace_id${aggregates} FROM traces WHERE ${where} GROUP BY trace_id)
      ${b.conditions.length ? `WHERE ${b.conditions.join(" AND ")}` : ""}
      ORDER BY ${order} LIMIT ${b.param(search.maxResults + 1, "UInt32")} OFFSET ${b.param(offset, "UInt32")}`,
    query_params: b.params,
    format: "JSON",
  });
  const ids = z
    .object({ trace_id: z.string() })
    .array()
    .parse((await result.json()).data)
    .map((r) => r.trace_id);
  const more = ids.length > search.maxResults;
  const page = ids.slice(0, search.maxResults);
  const summaries = await getTraceSummaries(client, page, search.experimentIds === "all" ? undefined : search.experimentIds);
  return {
    traces: page.flatMap((id) => summaries.get(id) ?? []),
    nextPageToken: more ? writeToken(offset + search.maxResults) : undefined,
  };
}
