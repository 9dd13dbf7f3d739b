import "server-only";
import type { ClickHouseClient } from "@clickhouse/client";
import { z } from "zod";
import { groupInsert } from "@/lib/clickhouse/group-insert.server";
import { toClickHouseTime } from "@/lib/inference/tables";
import type { OtlpSpan } from "./otlp";
import { readSpan } from "./semconv";
import {
  INFO_STATE_RANK,
  SPAN_KINDS,
  SPAN_STATUSES,
  nanosToClickHouse,
  spanReadSchema,
  tagReadSchema,
  traceSummarySchema,
  type SpanRead,
  type SpanRow,
  type TagKind,
  type TraceState,
  type TraceSummary,
} from "./tables";

/**
 * Reads and writes of the trace tables. Every value goes through query parameters; rows are
 * zod-parsed. Span inserts are group-committed (concurrent requests share one insert) and each
 * caller returns once its rows are written, so an acknowledged span is never lost.
 */

export function toSpanRow(experimentId: string, span: OtlpSpan, ingestedAt: string): SpanRow {
  const meaning = readSpan(span);
  return {
    trace_id: span.traceId,
    span_id: span.spanId,
    parent_span_id: span.parentSpanId,
    experiment_id: experimentId,
    name: span.name,
    span_type: meaning.spanType,
    kind: SPAN_KINDS[span.kind] ?? "UNSPECIFIED",
    start_time: nanosToClickHouse(span.startTimeUnixNano),
    end_time: nanosToClickHouse(span.endTimeUnixNano),
    status: SPAN_STATUSES[span.statusCode] ?? "UNSET",
    status_message: span.statusMessage,
    inputs: meaning.inputs,
    outputs: meaning.outputs,
    attributes: meaning.attributes,
    events: JSON.stringify(span.events.map((e) => ({ name: e.name, time_unix_nano: e.timeUnixNano, attributes: e.attributes }))),
    service_name: span.serviceName,
    model: meaning.model,
    input_tokens: meaning.inputTokens,
    output_tokens: meaning.outputTokens,
    cost: meaning.cost,
    session_id: meaning.sessionId,
    user_id: meaning.userId,
    ingested_at: ingestedAt,
  };
}

const SPAN_COLUMNS = [
  "trace_id",
  "span_id",
  "parent_span_id",
  "experiment_id",
  "name",
  "span_type",
  "kind",
  "start_time",
  "end_time",
  "status",
  "status_message",
  "inputs",
  "outputs",
  "attributes",
  "events",
  "service_name",
  "model",
  "input_tokens",
  "output_tokens",
  "cost",
  "session_id",
  "user_id",
  "ingested_at",
] as const satisfies readonly (keyof SpanRow)[];

export async function insertSpans(client: ClickHouseClient, experimentId: string, spans: OtlpSpan[]): Promise<void> {
  if (spans.length === 0) return;
  const now = toClickHouseTime(new Date());
  const rows = spans.map((s) => {
    const row = toSpanRow(experimentId, s, now);
    return SPAN_COLUMNS.map((c) => row[c]);
  });
  await groupInsert(client, "spans", rows, 10_000, SPAN_COLUMNS);
}

export interface TraceInfoWrite {
  traceId: string;
  experimentId: string;
  startNs: bigint;
  endNs: bigint;
  state: TraceState | "STATE_UNSPECIFIED";
  requestPreview: string;
  responsePreview: string;
  sessionId: string;
  userId: string;
}

/** A client's trace info joins the trace's roll-up (min/max/sum with its spans' rows). */
export async function insertTraceInfo(client: ClickHouseClient, info: TraceInfoWrite): Promise<void> {
  await client.insert({
    table: "traces",
    format: "JSONEachRow",
    values: [
      {
        experiment_id: info.experimentId,
        trace_id: info.traceId,
        start_time: nanosToClickHouse(info.startNs),
        end_time: nanosToClickHouse(info.endNs < info.startNs ? info.startNs : info.endNs),
        span_count: 0,
        error_spans: 0,
        has_root: 0,
        root_error: 0,
        info_state: INFO_STATE_RANK[info.state],
        name: "",
        request_preview: info.requestPreview.slice(0, 10_000),
        response_preview: info.responsePreview.slice(0, 10_000),
        input_tokens: 0,
        output_tokens: 0,
        cost: 0,
        session_id: info.sessionId,
        user_id: info.userId,
        span_types: [],
        span_names: [],
      },
    ],
  });
}

export interface TagWrite {
  traceId: string;
  kind: TagKind;
  key: string;
  value: string;
  deleted?: boolean;
}

export async function writeTags(client: ClickHouseClient, tags: TagWrite[]): Promise<void> {
  if (tags.length === 0) return;
  const version = new Date().toISOString().replace("T", " ").replace("Z", "");
  await client.insert({
    table: "trace_tags",
    format: "JSONEachRow",
    values: tags.map((t) => ({ trace_id: t.traceId, kind: t.kind, key: t.key, value: t.value, deleted: t.deleted ? 1 : 0, version })),
  });
}

/**
 * One row per trace from the roll-up table: `where` filters the raw rows (experiment, trace ids),
 * `having` the merged values (t_start, t_end, t_state, t_session, …). Merged values get their own
 * names inside, so an alias never shadows a column the filters use.
 */
export function traceSummarySql(parts: { where: string; having?: string; orderBy?: string; limit?: string }): string {
  return `SELECT trace_id, experiment_id_ AS experiment_id,
      toString(toUnixTimestamp64Nano(t_start)) AS start_ns, toString(toUnixTimestamp64Nano(t_end)) AS end_ns,
      t_spans AS span_count, t_error_spans AS error_spans, t_state AS state, t_name AS name,
      t_request AS request_preview, t_response AS response_preview, t_input_tokens AS input_tokens,
      t_output_tokens AS output_tokens, t_cost AS cost, t_session AS session_id, t_user AS user_id
    FROM (
      SELECT trace_id, any(experiment_id) AS experiment_id_, min(start_time) AS t_start, max(end_time) AS t_end,
        sum(span_count) AS t_spans, sum(error_spans) AS t_error_spans,
        multiIf(max(info_state) = 3 OR max(root_error) = 1, 'ERROR', max(info_state) = 2 OR max(has_root) = 1, 'OK', 'IN_PROGRESS') AS t_state,
        max(name) AS t_name, max(request_preview) AS t_request, max(response_preview) AS t_response,
        sum(input_tokens) AS t_input_tokens, sum(output_tokens) AS t_output_tokens, sum(cost) AS t_cost,
        max(session_id) AS t_session, max(user_id) AS t_user,
        intDiv(toUnixTimestamp64Nano(max(end_time)) - toUnixTimestamp64Nano(min(start_time)), 1000000) AS t_latency_ms
      FROM traces WHERE ${parts.where} GROUP BY trace_id
    )${parts.having ? ` WHERE ${parts.having}` : ""}${parts.orderBy ? ` ORDER BY ${parts.orderBy}` : ""}${parts.limit ? ` LIMIT ${parts.limit}` : ""}`;
}

/** Summaries by trace id; naming the experiments lets ClickHouse read them by primary key. */
export async function getTraceSummaries(
  client: ClickHouseClient,
  traceIds: string[],
  experimentIds?: string[],
): Promise<Map<string, TraceSummary>> {
  if (traceIds.length === 0) return new Map();
  const byExperiment = experimentIds?.length ? "experiment_id IN {exps:Array(String)} AND " : "";
  const result = await client.query({
    query: traceSummarySql({ where: `${byExperiment}trace_id IN {ids:Array(String)}` }),
    query_params: { ids: traceIds, exps: experimentIds ?? [] },
    format: "JSON",
  });
  const rows = traceSummarySchema.array().parse((await result.json()).data);
  return new Map(rows.map((r) => [r.trace_id, r]));
}

export interface TraceTags {
  tags: Record<string, string>;
  metadata: Record<string, string>;
  runs: string[];
  /** Trace-info fields kept as keys (`client_request_id`). */
  info: Record<string, string>;
}

export async function getTraceTags(client: ClickHouseClient, traceIds: string[]): Promise<Map<string, TraceTags>> {
  const out = new Map<string, TraceTags>(traceIds.map((id) => [id, { tags: {}, metadata: {}, runs: [], info: {} }]));
  if (traceIds.length === 0) return out;
  const result = await client.query({
    query: `SELECT trace_id, kind, key, value FROM trace_tags FINAL WHERE trace_id IN {ids:Array(String)} AND deleted = 0`,
    query_params: { ids: traceIds },
    format: "JSON",
  });
  for (const row of tagReadSchema.array().parse((await result.json()).data)) {
    const entry = out.get(row.trace_id);
    if (!entry) continue;
    if (row.kind === "tag") entry.tags[row.key] = row.value;
    else if (row.kind === "metadata") entry.metadata[row.key] = row.value;
    else if (row.kind === "run") entry.runs.push(row.key);
    else entry.info[row.key] = row.value;
  }
  return out;
}

export async function getSpans(client: ClickHouseClient, traceId: string): Promise<SpanRead[]> {
  const result = await client.query({
    query: `SELECT trace_id, span_id, parent_span_id, experiment_id, name, span_type, kind,
        toString(toUnixTimestamp64Nano(start_time)) AS start_ns, toString(toUnixTimestamp64Nano(end_time)) AS end_ns,
        status, status_message, inputs, outputs, attributes, events, service_name, model,
        input_tokens, output_tokens, cost, session_id, user_id
      FROM spans FINAL WHERE trace_id = {id:String} ORDER BY start_time, span_id`,
    query_params: { id: traceId },
    format: "JSON",
  });
  return spanReadSchema.array().parse((await result.json()).data);
}

/** Deletes traces with their spans, roll-ups and tags (lightweight deletes). */
export async function deleteTraces(client: ClickHouseClient, traceIds: string[]): Promise<void> {
  if (traceIds.length === 0) return;
  for (const table of ["spans", "traces", "trace_tags"]) {
    await client.command({
      query: `DELETE FROM {table:Identifier} WHERE trace_id IN {ids:Array(String)}`,
      query_params: { table, ids: traceIds },
    });
  }
}

const linkedInferenceSchema = z.object({
  trace_id: z.string(),
  span_id: z.string(),
  id: z.string(),
  episode_id: z.string(),
  function_name: z.string(),
  variant_name: z.string(),
  timestamp: z.string(),
});
export type LinkedInference = z.output<typeof linkedInferenceSchema>;

/** Gateway inferences made inside these traces (W3C traceparent on the request), oldest first. */
export async function getLinkedInferences(client: ClickHouseClient, traceIds: string[]): Promise<LinkedInference[]> {
  if (traceIds.length === 0) return [];
  const result = await client.query({
    query: `SELECT trace_id, span_id, toString(id) AS id, toString(episode_id) AS episode_id, function_name, variant_name,
        toString(timestamp) AS timestamp
      FROM inference_by_trace WHERE trace_id IN {ids:Array(String)} ORDER BY timestamp, id`,
    query_params: { ids: traceIds },
    format: "JSON",
  });
  return linkedInferenceSchema.array().parse((await result.json()).data);
}

/** How many traces each run has linked (`link-to-run` or the `mlflow.sourceRun` metadata). */
export async function countTracesByRun(client: ClickHouseClient, runIds: string[]): Promise<Map<string, number>> {
  if (runIds.length === 0) return new Map();
  const result = await client.query({
    query: `SELECT key AS run_id, toUInt32(uniqExact(trace_id)) AS traces FROM trace_tags FINAL
      WHERE kind = 'run' AND deleted = 0 AND key IN {runs:Array(String)} GROUP BY key`,
    query_params: { runs: runIds },
    format: "JSON",
  });
  const rows = z
    .object({ run_id: z.string(), traces: z.coerce.number() })
    .array()
    .parse((await result.json()).data);
  return new Map(rows.map((r) => [r.run_id, r.traces]));
}
