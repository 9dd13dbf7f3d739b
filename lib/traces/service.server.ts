import "server-only";
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { invalidParameter, notFound } from "@/lib/stores/mlflow-errors";
import type { TrackingContext } from "@/lib/tracking/context";
import { getExperimentRow, requireActiveExperiment } from "@/lib/tracking/experiments.server";
import { getRunRow } from "@/lib/tracking/runs.server";
import { createAssessment, listAssessments, type AssessmentInput, type WireAssessment } from "./assessments.server";
import { parseTraceId } from "./ids";
import type { OtlpSpan } from "./otlp";
import {
  deleteTraces,
  getSpans,
  getTraceSummaries,
  getTraceTags,
  insertSpans,
  insertTraceInfo,
  writeTags,
  type TagWrite,
} from "./store.server";
import type { SpanRead, TraceState, TraceSummary } from "./tables";
import { SESSION_KEY, USER_KEY, toWireTraceInfoV3, type WireTraceInfoV3 } from "./wire";

/** The trace service: what MLflow's trace endpoints, OTLP ingestion and the dashboard call. */

export function traceHexOrThrow(id: string): string {
  const hex = parseTraceId(id);
  if (!hex) throw invalidParameter(`Invalid trace ID '${id}'. Trace IDs look like 'tr-' followed by 32 hexadecimal digits.`);
  return hex;
}

const traceNotFound = (id: string) => notFound(`Trace with ID ${id} is not found.`);

/** Spans land only in an existing, active experiment. */
export async function requireTraceExperiment(ctx: TrackingContext, experimentId: string): Promise<string> {
  const row = await getExperimentRow(ctx.db, experimentId);
  requireActiveExperiment(row);
  return String(row.experimentId);
}

export async function ingestSpans(ctx: TrackingContext, experimentId: string, spans: OtlpSpan[]): Promise<void> {
  await insertSpans(ctx.clickhouse, await requireTraceExperiment(ctx, experimentId), spans);
}

export interface FullTrace {
  summary: TraceSummary;
  info: WireTraceInfoV3;
  assessments: WireAssessment[];
}

/** Trace infos for ids (missing ones are absent), in the order asked. */
export async function getTraceInfos(ctx: TrackingContext, hexes: string[], experimentIds?: string[]): Promise<FullTrace[]> {
  const summaries = await getTraceSummaries(ctx.clickhouse, hexes, experimentIds);
  return completeTraceInfos(
    ctx,
    hexes.flatMap((hex) => summaries.get(hex) ?? []),
  );
}

/** Adds tags, metadata and assessments to summaries already read (a search's page). */
export async function completeTraceInfos(ctx: TrackingContext, summaries: TraceSummary[]): Promise<FullTrace[]> {
  const hexes = summaries.map((s) => s.trace_id);
  const [tags, assessments] = await Promise.all([getTraceTags(ctx.clickhouse, hexes), listAssessments(ctx.clickhouse, hexes)]);
  const out: FullTrace[] = [];
  for (const summary of summaries) {
    const hex = summary.trace_id;
    const list = assessments.get(hex) ?? [];
    const stored = tags.get(hex) ?? { tags: {}, metadata: {}, runs: [], info: {} };
    out.push({ summary, info: toWireTraceInfoV3(summary, stored, list), assessments: list });
  }
  return out;
}

export async function getTraceOrThrow(ctx: TrackingContext, id: string): Promise<FullTrace> {
  const [trace] = await getTraceInfos(ctx, [traceHexOrThrow(id)]);
  if (!trace) throw traceNotFound(id);
  return trace;
}

export async function getTraceSpans(ctx: TrackingContext, hex: string): Promise<SpanRead[]> {
  return getSpans(ctx.clickhouse, hex);
}

export interface StartTraceInput {
  traceId?: string;
  experimentId: string;
  startNs: bigint;
  durationNs: bigint;
  state: TraceState | "STATE_UNSPECIFIED";
  requestPreview: string;
  responsePreview: string;
  clientRequestId?: string;
  metadata: Record<string, string>;
  tags: Record<string, string>;
  assessments: AssessmentInput[];
}

/** Records a client's trace info (MLflow's StartTraceV3 and v2 StartTrace/EndTrace). */
export async function recordTraceInfo(ctx: TrackingContext, input: StartTraceInput): Promise<string> {
  const experimentId = await requireTraceExperiment(ctx, input.experimentId);
  const hex = input.traceId ? traceHexOrThrow(input.traceId) : randomBytes(16).toString("hex");
  await insertTraceInfo(ctx.clickhouse, {
    traceId: hex,
    experimentId,
    startNs: input.startNs,
    endNs: input.startNs + (input.durationNs > 0n ? input.durationNs : 0n),
    state: input.state,
    requestPreview: input.requestPreview,
    responsePreview: input.responsePreview,
    sessionId: input.metadata[SESSION_KEY] ?? "",
    userId: input.metadata[USER_KEY] ?? "",
  });
  const rows: TagWrite[] = [
    ...Object.entries(input.metadata).map(([key, value]) => ({ traceId: hex, kind: "metadata" as const, key, value })),
    ...Object.entries(input.tags).map(([key, value]) => ({ traceId: hex, kind: "tag" as const, key, value })),
  ];
  if (input.clientRequestId) rows.push({ traceId: hex, kind: "info", key: "client_request_id", value: input.clientRequestId });
  const sourceRun = input.metadata["mlflow.sourceRun"];
  if (sourceRun) rows.push({ traceId: hex, kind: "run", key: sourceRun, value: "" });
  await writeTags(ctx.clickhouse, rows);
  for (const assessment of input.assessments) await createAssessment(ctx.clickhouse, hex, assessment);
  return hex;
}

/** MLflow never lets clients overwrite these through the tag endpoints. */
const IMMUTABLE_TAGS = new Set(["mlflow.trace.spansLocation"]);

export async function setTraceTag(ctx: TrackingContext, id: string, key: string, value: string): Promise<void> {
  const { summary } = await getTraceOrThrow(ctx, id);
  if (IMMUTABLE_TAGS.has(key)) throw invalidParameter(`Tag '${key}' is managed by the server and cannot be set.`);
  await writeTags(ctx.clickhouse, [{ traceId: summary.trace_id, kind: "tag", key, value }]);
}

export async function deleteTraceTag(ctx: TrackingContext, id: string, key: string): Promise<void> {
  const trace = await getTraceOrThrow(ctx, id);
  if (trace.info.tags?.[key] === undefined) throw notFound(`No trace tag with key '${key}' for trace with ID '${id}'`);
  await writeTags(ctx.clickhouse, [{ traceId: trace.summary.trace_id, kind: "tag", key, value: "", deleted: true }]);
}

export const LINK_TRACES_MAX = 100;

export async function linkTracesToRun(ctx: TrackingContext, traceIds: string[], runId: string): Promise<void> {
  if (traceIds.length > LINK_TRACES_MAX)
    throw invalidParameter(
      `Cannot link more than ${LINK_TRACES_MAX} traces to a run in a single request. Provided ${traceIds.length} traces.`,
    );
  await getRunRow(ctx.db, runId);
  const hexes = traceIds.map(traceHexOrThrow);
  const found = await getTraceSummaries(ctx.clickhouse, hexes);
  const missing = traceIds.filter((_, i) => !found.has(hexes[i] ?? ""));
  if (missing.length) throw notFound(`Traces not found: ${missing.join(", ")}`);
  await writeTags(
    ctx.clickhouse,
    hexes.map((hex) => ({ traceId: hex, kind: "run" as const, key: runId, value: "" })),
  );
}

export interface DeleteTracesInput {
  experimentId: string;
  maxTimestampMillis?: number;
  maxTraces?: number;
  traceIds?: string[];
}

/** MLflow's two ways: by ids, or the oldest up to `maxTraces` before a time. Returns the count. */
export async function deleteExperimentTraces(ctx: TrackingContext, input: DeleteTracesInput): Promise<number> {
  const byIds = (input.traceIds?.length ?? 0) > 0;
  const byTime = input.maxTimestampMillis !== undefined;
  if (byIds === byTime) throw invalidParameter("Either `max_timestamp_millis` or `request_ids` must be specified, but not both.");
  await getExperimentRow(ctx.db, input.experimentId);
  let hexes: string[];
  if (byIds) {
    const wanted = (input.traceIds ?? []).map(traceHexOrThrow);
    const found = await getTraceSummaries(ctx.clickhouse, wanted);
    hexes = wanted.filter((h) => found.get(h)?.experiment_id === input.experimentId);
  } else {
    const result = await ctx.clickhouse.query({
      query: `SELECT trace_id FROM traces WHERE experiment_id = {exp:String} GROUP BY trace_id
        HAVING toUnixTimestamp64Milli(min(start_time)) <= {max:Int64} ORDER BY min(start_time) LIMIT {n:UInt32}`,
      query_params: { exp: input.experimentId, max: input.maxTimestampMillis ?? 0, n: input.maxTraces ?? 1_000_000 },
      format: "JSON",
    });
    hexes = z
      .object({ trace_id: z.string() })
      .array()
      .parse((await result.json()).data)
      .map((r) => r.trace_id);
  }
  await deleteTraces(ctx.clickhouse, hexes);
  return hexes.length;
}
