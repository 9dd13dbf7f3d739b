import "server-only";
import { z } from "zod";
import { assessmentInput, deleteAssessment, getAssessment, updateAssessment, createAssessment } from "@/lib/traces/assessments.server";
import { SEARCH_TRACES_MAX_RESULTS, searchTraces } from "@/lib/traces/search.server";
import {
  completeTraceInfos,
  deleteExperimentTraces,
  deleteTraceTag,
  getTraceInfos,
  getTraceOrThrow,
  getTraceSpans,
  linkTracesToRun,
  recordTraceInfo,
  setTraceTag,
  traceHexOrThrow,
} from "@/lib/traces/service.server";
import { parseDuration, parseTimestamp, toWireOtlpSpan, wireTraceInfoV3 } from "@/lib/traces/wire";
import { invalidParameter } from "@/lib/stores/mlflow-errors";
import { int64, repeated, requiredStr, str } from "./fields";
import { endpoint } from "./http.server";

/**
 * MLflow's trace endpoints (service.proto: StartTraceV3, GetTraceInfoV3, GetTrace, BatchGetTraces,
 * SearchTracesV3, tags, DeleteTracesV3, LinkTracesToRun, assessments, and the v2 StartTrace,
 * EndTrace, GetTraceInfo and SearchTraces the older clients use): thin adapters to lib/traces.
 * Path parameters ({trace_id}, {assessment_id}) arrive merged into the request message.
 */
const empty = z.object({});
const wireTrace = z.object({ trace_info: wireTraceInfoV3, spans: z.array(z.record(z.string(), z.unknown())).optional() });
const stringMap = z.record(z.string(), z.string()).optional().default({});
const STATES = ["STATE_UNSPECIFIED", "OK", "ERROR", "IN_PROGRESS"] as const;

const traceInfoInput = z.object({
  trace_id: str.optional(),
  client_request_id: str.optional(),
  trace_location: z.object({ type: str.optional(), mlflow_experiment: z.object({ experiment_id: str }).optional() }).optional(),
  request_preview: str.optional(),
  response_preview: str.optional(),
  request: str.optional(),
  response: str.optional(),
  request_time: str.optional(),
  execution_duration: str.optional(),
  state: z
    .union([
      z.enum(STATES),
      z
        .number()
        .int()
        .min(0)
        .max(3)
        .transform((n) => STATES[n] ?? "STATE_UNSPECIFIED"),
    ])
    .optional(),
  trace_metadata: stringMap,
  tags: stringMap,
  assessments: repeated(assessmentInput),
});

const timestampNs = (text: string | undefined, field: string) => {
  if (!text) return BigInt(Date.now()) * 1_000_000n;
  const ns = parseTimestamp(text);
  if (ns === null) throw invalidParameter(`Invalid value '${text}' for ${field}: expected an RFC 3339 timestamp.`);
  return ns;
};

async function fullTrace(ctx: Parameters<Parameters<typeof endpoint>[0]["handle"]>[0]["ctx"], id: string) {
  const trace = await getTraceOrThrow(ctx, id);
  const spans = await getTraceSpans(ctx, trace.summary.trace_id);
  return { trace_info: trace.info, spans: spans.map(toWireOtlpSpan) };
}

export const startTraceV3 = endpoint({
  request: z.object({ trace: z.object({ trace_info: traceInfoInput }) }),
  response: z.object({ trace: wireTrace }),
  handle: async ({ ctx, input }) => {
    const info = input.trace.trace_info;
    const experimentId = info.trace_location?.mlflow_experiment?.experiment_id;
    if (!experimentId) throw invalidParameter("trace_info.trace_location.mlflow_experiment.experiment_id is required.");
    const duration = info.execution_duration ? parseDuration(info.execution_duration) : 0n;
    if (duration === null)
      throw invalidParameter(`Invalid value '${info.execution_duration}' for execution_duration: expected a duration such as '1.5s'.`);
    const hex = await recordTraceInfo(ctx, {
      traceId: info.trace_id,
      experimentId,
      startNs: timestampNs(info.request_time, "request_time"),
      durationNs: duration,
      state: info.state ?? "STATE_UNSPECIFIED",
      requestPreview: info.request_preview ?? info.request ?? "",
      responsePreview: info.response_preview ?? info.response ?? "",
      clientRequestId: info.client_request_id,
      metadata: info.trace_metadata,
      tags: info.tags,
      assessments: info.assessments,
    });
    return { trace: { trace_info: (await getTraceOrThrow(ctx, hex)).info } };
  },
});

export const getTraceInfoV3 = endpoint({
  request: z.object({ trace_id: requiredStr }),
  response: z.object({ trace: wireTrace }),
  handle: async ({ ctx, input }) => ({ trace: { trace_info: (await getTraceOrThrow(ctx, input.trace_id)).info } }),
});

export const getTrace = endpoint({
  request: z.object({ trace_id: requiredStr, allow_partial: z.union([z.boolean(), z.enum(["true", "false"])]).optional() }),
  response: z.object({ trace: wireTrace }),
  handle: async ({ ctx, input }) => ({ trace: await fullTrace(ctx, input.trace_id) }),
});

export const batchGetTraces = endpoint({
  request: z.object({ trace_ids: repeated(str), experiment_ids: repeated(str) }),
  response: z.object({ traces: z.array(wireTrace).optional() }),
  handle: async ({ ctx, input }) => {
    const infos = await getTraceInfos(ctx, input.trace_ids.map(traceHexOrThrow), input.experiment_ids);
    const traces = await Promise.all(
      infos.map(async (t) => ({ trace_info: t.info, spans: (await getTraceSpans(ctx, t.summary.trace_id)).map(toWireOtlpSpan) })),
    );
    return { traces: traces.length ? traces : undefined };
  },
});

export const batchGetTraceInfos = endpoint({
  request: z.object({ trace_ids: repeated(str), experiment_ids: repeated(str) }),
  response: z.object({ trace_infos: z.array(wireTraceInfoV3).optional() }),
  handle: async ({ ctx, input }) => {
    const infos = await getTraceInfos(ctx, input.trace_ids.map(traceHexOrThrow), input.experiment_ids);
    return { trace_infos: infos.length ? infos.map((t) => t.info) : undefined };
  },
});

export const searchTracesV3 = endpoint({
  request: z.object({
    locations: repeated(z.object({ type: str.optional(), mlflow_experiment: z.object({ experiment_id: str }).optional() })),
    experiment_ids: repeated(str),
    filter: str.optional(),
    max_results: int64.optional(),
    order_by: repeated(str),
    page_token: str.optional(),
  }),
  response: z.object({ traces: z.array(wireTraceInfoV3).optional(), next_page_token: z.string().optional() }),
  handle: async ({ ctx, input }) => {
    const experimentIds = [
      ...input.experiment_ids,
      ...input.locations.flatMap((l) => (l.mlflow_experiment ? [l.mlflow_experiment.experiment_id] : [])),
    ];
    const found = await searchTraces(ctx.clickhouse, {
      experimentIds,
      filter: input.filter,
      orderBy: input.order_by,
      maxResults: input.max_results ?? 100,
      pageToken: input.page_token,
    });
    const infos = await completeTraceInfos(ctx, found.traces);
    return { traces: infos.length ? infos.map((t) => t.info) : undefined, next_page_token: found.nextPageToken };
  },
});

const traceRef = z.object({ trace_id: str.optional(), request_id: str.optional() }).transform((v, c) => {
  const id = v.trace_id || v.request_id;
  if (!id) c.addIssue({ code: "custom", message: "Missing value for required parameter 'trace_id'." });
  return id ?? "";
});

export const setTraceTagEndpoint = endpoint({
  request: z.object({ trace_id: str.optional(), request_id: str.optional(), key: requiredStr, value: str.optional().default("") }),
  response: empty,
  handle: async ({ ctx, input }) => {
    await setTraceTag(ctx, traceRef.parse(input), input.key, input.value);
    return {};
  },
});

export const deleteTraceTagEndpoint = endpoint({
  request: z.object({ trace_id: str.optional(), request_id: str.optional(), key: requiredStr }),
  response: empty,
  handle: async ({ ctx, input }) => {
    await deleteTraceTag(ctx, traceRef.parse(input), input.key);
    return {};
  },
});

export const deleteTraces = endpoint({
  request: z.object({
    experiment_id: requiredStr,
    max_timestamp_millis: int64.optional(),
    max_traces: int64.optional(),
    request_ids: repeated(str),
  }),
  response: z.object({ traces_deleted: z.number() }),
  handle: async ({ ctx, input }) => ({
    traces_deleted: await deleteExperimentTraces(ctx, {
      experimentId: input.experiment_id,
      maxTimestampMillis: input.max_timestamp_millis,
      maxTraces: input.max_traces,
      traceIds: input.request_ids,
    }),
  }),
});

export const linkTracesToRunEndpoint = endpoint({
  request: z.object({ trace_ids: repeated(str), run_id: requiredStr }),
  response: empty,
  handle: async ({ ctx, input }) => {
    await linkTracesToRun(ctx, input.trace_ids, input.run_id);
    return {};
  },
});

export const linkPromptsToTrace = endpoint({
  request: z.object({ trace_id: requiredStr, prompt_versions: repeated(z.object({ name: requiredStr, version: requiredStr })) }),
  response: empty,
  handle: async ({ ctx, input }) => {
    const trace = await getTraceOrThrow(ctx, input.trace_id);
    const linked = JSON.parse(trace.info.tags?.["mlflow.linkedPrompts"] ?? "[]") as { name: string; version: string }[];
    for (const p of input.prompt_versions) if (!linked.some((l) => l.name === p.name && l.version === p.version)) linked.push(p);
    await setTraceTag(ctx, input.trace_id, "mlflow.linkedPrompts", JSON.stringify(linked));
    return {};
  },
});

const wireAssessment = z.object({ assessment_id: z.string(), assessment_name: z.string(), trace_id: z.string() }).passthrough();

export const createAssessmentEndpoint = endpoint({
  request: z.object({ trace_id: requiredStr, assessment: assessmentInput }),
  response: z.object({ assessment: wireAssessment }),
  handle: async ({ ctx, input }) => {
    const { summary } = await getTraceOrThrow(ctx, input.trace_id);
    return { assessment: await createAssessment(ctx.clickhouse, summary.trace_id, input.assessment) };
  },
});

export const getAssessmentEndpoint = endpoint({
  request: z.object({ trace_id: requiredStr, assessment_id: requiredStr }),
  response: z.object({ assessment: wireAssessment }),
  handle: async ({ ctx, input }) => ({
    assessment: await getAssessment(ctx.clickhouse, traceHexOrThrow(input.trace_id), input.assessment_id),
  }),
});

export const updateAssessmentEndpoint = endpoint({
  request: z.object({
    trace_id: requiredStr,
    assessment_id: requiredStr,
    assessment: assessmentInput.partial(),
    update_mask: z.union([str, z.object({ paths: z.array(str) }).transform((m) => m.paths.join(","))]),
  }),
  response: z.object({ assessment: wireAssessment }),
  handle: async ({ ctx, input }) => ({
    assessment: await updateAssessment(
      ctx.clickhouse,
      traceHexOrThrow(input.trace_id),
      input.assessment_id,
      input.assessment,
      input.update_mask,
    ),
  }),
});

export const deleteAssessmentEndpoint = endpoint({
  request: z.object({ trace_id: requiredStr, assessment_id: requiredStr }),
  response: empty,
  handle: async ({ ctx, input }) => {
    await deleteAssessment(ctx.clickhouse, traceHexOrThrow(input.trace_id), input.assessment_id);
    return {};
  },
});

export { SEARCH_TRACES_MAX_RESULTS };
