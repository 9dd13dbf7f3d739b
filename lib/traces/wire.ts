import { z } from "zod";
import { toMlflowTraceId } from "./ids";
import type { SpanRead, TraceSummary } from "./tables";
import type { TraceTags } from "./store.server";

/**
 * MLflow's wire shapes for traces (service.proto TraceInfoV3, Trace, v2 TraceInfo) in protobuf's
 * JSON mapping as MLflow's server writes it: snake_case fields, Timestamp and Duration as strings
 * ("2025-01-02T03:04:05.123Z", "1.500s"), enums by name, OTLP span ids as base64 bytes, 64-bit
 * nanosecond times as decimal strings (exact; protobuf JSON parsers accept them).
 */
export const SPANS_LOCATION_TAG = "mlflow.trace.spansLocation";
export const TRACKING_STORE = "TRACKING_STORE";
export const TRACE_SCHEMA_VERSION_KEY = "mlflow.trace_schema.version";
export const TOKEN_USAGE_KEY = "mlflow.trace.tokenUsage";
export const SESSION_KEY = "mlflow.trace.session";
export const USER_KEY = "mlflow.trace.user";
export const SOURCE_RUN_KEY = "mlflow.sourceRun";

const fraction = (nanos: bigint) => {
  if (nanos === 0n) return "";
  const nine = nanos.toString().padStart(9, "0");
  return `.${nanos % 1_000_000n === 0n ? nine.slice(0, 3) : nanos % 1_000n === 0n ? nine.slice(0, 6) : nine}`;
};

export function formatTimestamp(ns: bigint): string {
  const seconds = ns / 1_000_000_000n;
  const iso = new Date(Number(seconds) * 1000).toISOString().slice(0, 19);
  return `${iso}${fraction(ns % 1_000_000_000n)}Z`;
}

export function formatDuration(ns: bigint): string {
  const sign = ns < 0n ? "-" : "";
  const abs = ns < 0n ? -ns : ns;
  return `${sign}${abs / 1_000_000_000n}${fraction(abs % 1_000_000_000n)}s`;
}

const TIMESTAMP_RE = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/i;

/** RFC 3339 (protobuf Timestamp JSON) → nanoseconds; null when malformed. */
export function parseTimestamp(text: string): bigint | null {
  const match = TIMESTAMP_RE.exec(text.trim());
  if (!match) return null;
  const ms = Date.parse(`${match[1]}${match[3]}`);
  if (Number.isNaN(ms)) return null;
  return BigInt(ms) * 1_000_000n + BigInt((match[2] ?? "").padEnd(9, "0") || "0");
}

/** protobuf Duration JSON ("1.5s") → nanoseconds; null when malformed. */
export function parseDuration(text: string): bigint | null {
  const match = /^(-?)(\d+)(?:\.(\d{1,9}))?s$/.exec(text.trim());
  if (!match) return null;
  const ns = BigInt(match[2] ?? "0") * 1_000_000_000n + BigInt((match[3] ?? "").padEnd(9, "0") || "0");
  return match[1] ? -ns : ns;
}

export const wireTraceLocation = z.object({
  type: z.string(),
  mlflow_experiment: z.object({ experiment_id: z.string() }).optional(),
});

export const wireTraceInfoV3 = z.object({
  trace_id: z.string(),
  client_request_id: z.string().optional(),
  trace_location: wireTraceLocation,
  request_preview: z.string().optional(),
  response_preview: z.string().optional(),
  request_time: z.string(),
  execution_duration: z.string().optional(),
  state: z.enum(["OK", "ERROR", "IN_PROGRESS", "STATE_UNSPECIFIED"]),
  trace_metadata: z.record(z.string(), z.string()).optional(),
  assessments: z.array(z.record(z.string(), z.unknown())).optional(),
  tags: z.record(z.string(), z.string()).optional(),
});
export type WireTraceInfoV3 = z.output<typeof wireTraceInfoV3>;

const keyValue = z.object({ key: z.string(), value: z.string() });
export const wireTraceInfoV2 = z.object({
  request_id: z.string(),
  experiment_id: z.string(),
  timestamp_ms: z.number(),
  execution_time_ms: z.number().optional(),
  status: z.enum(["OK", "ERROR", "IN_PROGRESS", "TRACE_STATUS_UNSPECIFIED"]),
  request_metadata: z.array(keyValue).optional(),
  tags: z.array(keyValue).optional(),
});

const nonEmpty = (record: Record<string, string>) => (Object.keys(record).length ? record : undefined);

/** Metadata and tags as MLflow reports them, with what this server derives from the spans. */
export function traceMetadataAndTags(
  summary: TraceSummary,
  stored: TraceTags,
): { metadata: Record<string, string>; tags: Record<string, string> } {
  const metadata: Record<string, string> = { [TRACE_SCHEMA_VERSION_KEY]: "3", ...stored.metadata };
  if (summary.input_tokens + summary.output_tokens > 0 && !metadata[TOKEN_USAGE_KEY]) {
    metadata[TOKEN_USAGE_KEY] = JSON.stringify({
      input_tokens: summary.input_tokens,
      output_tokens: summary.output_tokens,
      total_tokens: summary.input_tokens + summary.output_tokens,
    });
  }
  if (summary.session_id && !metadata[SESSION_KEY]) metadata[SESSION_KEY] = summary.session_id;
  if (summary.user_id && !metadata[USER_KEY]) metadata[USER_KEY] = summary.user_id;
  if (!metadata[SOURCE_RUN_KEY] && stored.runs.length === 1) metadata[SOURCE_RUN_KEY] = stored.runs[0] ?? "";
  const tags: Record<string, string> = { ...stored.tags, [SPANS_LOCATION_TAG]: TRACKING_STORE };
  if (summary.name && !tags["mlflow.traceName"]) tags["mlflow.traceName"] = summary.name;
  return { metadata, tags };
}

export function toWireTraceInfoV3(summary: TraceSummary, stored: TraceTags, assessments: Record<string, unknown>[]): WireTraceInfoV3 {
  const start = BigInt(summary.start_ns);
  const { metadata, tags } = traceMetadataAndTags(summary, stored);
  return {
    trace_id: toMlflowTraceId(summary.trace_id),
    client_request_id: stored.info.client_request_id || undefined,
    trace_location: { type: "MLFLOW_EXPERIMENT", mlflow_experiment: { experiment_id: summary.experiment_id } },
    request_preview: summary.request_preview || undefined,
    response_preview: summary.response_preview || undefined,
    request_time: formatTimestamp(start),
    execution_duration: formatDuration(BigInt(summary.end_ns) - start),
    state: summary.state,
    trace_metadata: nonEmpty(metadata),
    assessments: assessments.length ? assessments : undefined,
    tags: nonEmpty(tags),
  };
}

export function toWireTraceInfoV2(summary: TraceSummary, stored: TraceTags) {
  const { metadata, tags } = traceMetadataAndTags(summary, stored);
  const toList = (r: Record<string, string>) => Object.entries(r).map(([key, value]) => ({ key, value }));
  const startMs = Number(BigInt(summary.start_ns) / 1_000_000n);
  return {
    request_id: toMlflowTraceId(summary.trace_id),
    experiment_id: summary.experiment_id,
    timestamp_ms: startMs,
    execution_time_ms: Number(BigInt(summary.end_ns) / 1_000_000n) - startMs,
    status: summary.state,
    request_metadata: toList(metadata),
    tags: toList(tags),
  };
}

/** A JSON value as an OTLP AnyValue (protobuf JSON, snake_case). */
export function toAnyValue(value: unknown): Record<string, unknown> {
  if (typeof value === "string") return { string_value: value };
  if (typeof value === "boolean") return { bool_value: value };
  if (typeof value === "number") return Number.isInteger(value) ? { int_value: String(value) } : { double_value: value };
  if (Array.isArray(value)) return { array_value: { values: value.map(toAnyValue) } };
  return { string_value: JSON.stringify(value ?? null) };
}

const hexToBase64 = (hex: string) => (hex ? Buffer.from(hex, "hex").toString("base64") : "");
const STATUS_NAMES = { UNSET: "STATUS_CODE_UNSET", OK: "STATUS_CODE_OK", ERROR: "STATUS_CODE_ERROR" } as const;
const eventsSchema = z.array(z.object({ name: z.string(), time_unix_nano: z.string(), attributes: z.record(z.string(), z.unknown()) }));

/** What MLflow clients read spans by, derived from other conventions when the sender set none. */
function derivedAttributes(span: SpanRead): Record<string, string> {
  const out: Record<string, string> = {
    "mlflow.traceRequestId": JSON.stringify(toMlflowTraceId(span.trace_id)),
    "mlflow.spanType": JSON.stringify(span.span_type),
  };
  if (span.inputs) out["mlflow.spanInputs"] = span.inputs;
  if (span.outputs) out["mlflow.spanOutputs"] = span.outputs;
  return out;
}

/** A stored span as an OTLP `Span` message in MLflow's JSON (attribute values as JSON text). */
export function toWireOtlpSpan(span: SpanRead): Record<string, unknown> {
  const events = eventsSchema.parse(JSON.parse(span.events || "[]"));
  return {
    trace_id: hexToBase64(span.trace_id),
    span_id: hexToBase64(span.span_id),
    parent_span_id: hexToBase64(span.parent_span_id),
    name: span.name,
    kind: `SPAN_KIND_${span.kind}`,
    start_time_unix_nano: span.start_ns,
    end_time_unix_nano: span.end_ns,
    attributes: Object.entries({ ...derivedAttributes(span), ...span.attributes }).map(([key, value]) => ({
      key,
      value: { string_value: value },
    })),
    events: events.map((e) => ({
      name: e.name,
      time_unix_nano: e.time_unix_nano,
      attributes: Object.entries(e.attributes).map(([key, value]) => ({ key, value: toAnyValue(value) })),
    })),
    status: { code: STATUS_NAMES[span.status], message: span.status_message || undefined },
  };
}
