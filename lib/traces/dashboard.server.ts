import "server-only";
import { AppError } from "@/lib/http/errors";
import { MlflowError, notFound } from "@/lib/stores/mlflow-errors";
import type { TrackingContext } from "@/lib/tracking/context";
import { listAssessments, type WireAssessment } from "./assessments.server";
import { listEpisodeMembers } from "@/lib/inference/get.server";
import { isUuid } from "@/lib/inference/store.server";
import { toMlflowTraceId } from "./ids";
import { searchTraces } from "./search.server";
import { getLinkedInferences, getSpans, getTraceSummaries, getTraceTags } from "./store.server";
import { traceMetadataAndTags } from "./wire";
import type { SessionView, TraceListItem, TracePageState, TraceView } from "./schemas";
import type { TraceSummary } from "./tables";
import { traceHexOrThrow } from "./service.server";

/** What the dashboard's trace pages read: the list, one trace with its spans, one session. */
export const TRACE_PAGE_SIZE = 50;

const clickhouseMs = (text: string) => Date.parse(`${text.replace(" ", "T")}Z`);
const nsToMs = (ns: string) => Number(BigInt(ns) / 1_000n) / 1_000;

export function toListItem(s: TraceSummary): TraceListItem {
  return {
    traceId: toMlflowTraceId(s.trace_id),
    experimentId: s.experiment_id,
    name: s.name,
    state: s.state,
    startMs: Math.floor(nsToMs(s.start_ns)),
    latencyMs: nsToMs(s.end_ns) - nsToMs(s.start_ns),
    spanCount: s.span_count,
    errorSpans: s.error_spans,
    inputTokens: s.input_tokens,
    outputTokens: s.output_tokens,
    cost: s.cost,
    sessionId: s.session_id,
    userId: s.user_id,
    requestPreview: s.request_preview.slice(0, 300),
    responsePreview: s.response_preview.slice(0, 300),
  };
}

/** The dashboard's JSON API speaks `{error: {code, message}}`: MLflow's errors are mapped to it. */
async function appErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof MlflowError) throw new AppError(error.status === 404 ? "not_found" : "bad_request", error.message);
    throw error;
  }
}

export async function listTracePage(ctx: TrackingContext, state: TracePageState): Promise<{ items: TraceListItem[]; next: string | null }> {
  const found = await appErrors(() =>
    searchTraces(ctx.clickhouse, {
      experimentIds: state.experiment ? [state.experiment] : "all",
      sessionId: state.session,
      userId: state.user,
      states: state.status ? [state.status] : undefined,
      minLatencyMs: state.minLatencyMs,
      maxLatencyMs: state.maxLatencyMs,
      text: state.q,
      maxResults: TRACE_PAGE_SIZE,
      pageToken: state.page,
    }),
  );
  return { items: found.traces.map(toListItem), next: found.nextPageToken ?? null };
}

function assessmentView(a: WireAssessment): TraceView["assessments"][number] {
  return {
    assessmentId: a.assessment_id,
    name: a.assessment_name,
    kind: a.expectation ? "expectation" : "feedback",
    value: a.expectation
      ? (a.expectation.value ?? a.expectation.serialized_value?.value ?? null)
      : (a.feedback?.value ?? a.feedback?.error?.error_message ?? null),
    rationale: a.rationale ?? "",
    source: [a.source?.source_type, a.source?.source_id].filter(Boolean).join(" · "),
    spanId: a.span_id ?? "",
    time: a.last_update_time,
    valid: a.valid !== false,
  };
}

export async function getTraceView(ctx: TrackingContext, id: string): Promise<TraceView> {
  return appErrors(() => readTraceView(ctx, id));
}

async function readTraceView(ctx: TrackingContext, id: string): Promise<TraceView> {
  const hex = traceHexOrThrow(id);
  const [summaries, tags, spans, assessments, inferences] = await Promise.all([
    getTraceSummaries(ctx.clickhouse, [hex]),
    getTraceTags(ctx.clickhouse, [hex]),
    getSpans(ctx.clickhouse, hex),
    listAssessments(ctx.clickhouse, [hex]),
    getLinkedInferences(ctx.clickhouse, [hex]),
  ]);
  const summary = summaries.get(hex);
  if (!summary) throw notFound(`Trace with ID ${id} is not found.`);
  const { metadata, tags: allTags } = traceMetadataAndTags(summary, tags.get(hex) ?? { tags: {}, metadata: {}, runs: [], info: {} });
  const t0 = nsToMs(summary.start_ns);
  return {
    trace: toListItem(summary),
    tags: allTags,
    metadata,
    spans: spans.map((s) => ({
      spanId: s.span_id,
      parentSpanId: s.parent_span_id,
      name: s.name,
      spanType: s.span_type,
      kind: s.kind,
      status: s.status,
      statusMessage: s.status_message,
      offsetMs: nsToMs(s.start_ns) - t0,
      durationMs: nsToMs(s.end_ns) - nsToMs(s.start_ns),
      inputs: s.inputs,
      outputs: s.outputs,
      attributes: s.attributes,
      events: s.events,
      model: s.model,
      inputTokens: s.input_tokens,
      outputTokens: s.output_tokens,
      cost: s.cost,
    })),
    assessments: (assessments.get(hex) ?? []).map(assessmentView),
    inferences: inferences.map((i) => ({
      id: i.id,
      spanId: i.span_id,
      functionName: i.function_name,
      variantName: i.variant_name,
      timestamp: i.timestamp,
    })),
  };
}

/** A session's traces (`mlflow.trace.session`, `session.id`, `gen_ai.conversation.id`) and gateway inferences, in time order. */
export async function getSessionView(ctx: TrackingContext, sessionId: string): Promise<SessionView> {
  const found = await searchTraces(ctx.clickhouse, { experimentIds: "all", sessionId, orderBy: ["timestamp_ms ASC"], maxResults: 500 });
  const items: SessionView["items"] = found.traces.map((t) => ({
    kind: "trace",
    timeMs: Math.floor(nsToMs(t.start_ns)),
    trace: toListItem(t),
  }));
  const seen = new Set<string>();
  for (const i of await getLinkedInferences(
    ctx.clickhouse,
    found.traces.map((t) => t.trace_id),
  )) {
    seen.add(i.id);
    items.push({
      kind: "inference",
      timeMs: clickhouseMs(i.timestamp),
      id: i.id,
      functionName: i.function_name,
      variantName: i.variant_name,
      traceId: toMlflowTraceId(i.trace_id),
    });
  }
  if (isUuid(sessionId)) {
    for (const r of await listEpisodeMembers(ctx.clickhouse, sessionId, 1000)) {
      if (seen.has(r.id)) continue;
      items.push({
        kind: "inference",
        timeMs: clickhouseMs(r.timestamp),
        id: r.id,
        functionName: r.function_name,
        variantName: r.variant_name,
        traceId: "",
      });
    }
  }
  items.sort((a, b) => a.timeMs - b.timeMs);
  return { sessionId, items };
}
