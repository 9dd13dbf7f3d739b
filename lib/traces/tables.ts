import { z } from "zod";

/**
 * Rows of the trace tables (db/clickhouse/0006_traces.sql) and the zod schemas their reads are
 * parsed with. Ids are lowercase hex (trace 32, span 16 characters); times are nanoseconds since
 * the epoch, read back as decimal strings (they exceed 2^53).
 */
export interface SpanRow {
  trace_id: string;
  span_id: string;
  /** "" for a root span. */
  parent_span_id: string;
  experiment_id: string;
  name: string;
  /** MLflow span type (LLM, CHAT_MODEL, TOOL, RETRIEVER, CHAIN, AGENT, …, UNKNOWN). */
  span_type: string;
  /** OpenTelemetry SpanKind name (INTERNAL, CLIENT, SERVER, …). */
  kind: string;
  /** "YYYY-MM-DD hh:mm:ss.nnnnnnnnn" (UTC) on insert. */
  start_time: string;
  end_time: string;
  status: SpanStatus;
  status_message: string;
  /** JSON text ("" when not recorded). */
  inputs: string;
  outputs: string;
  /** Every attribute, each value as JSON text. */
  attributes: Record<string, string>;
  /** JSON: `[{name, time_unix_nano, attributes}]`. */
  events: string;
  service_name: string;
  model: string;
  input_tokens: number;
  output_tokens: number;
  /** US dollars, as the sender reported it; 0 when unknown. */
  cost: number;
  session_id: string;
  user_id: string;
  ingested_at: string;
}

export const SPAN_STATUSES = ["UNSET", "OK", "ERROR"] as const;
export type SpanStatus = (typeof SPAN_STATUSES)[number];
export const SPAN_KINDS = ["UNSPECIFIED", "INTERNAL", "SERVER", "CLIENT", "PRODUCER", "CONSUMER"] as const;

export const TRACE_STATES = ["OK", "ERROR", "IN_PROGRESS"] as const;
export type TraceState = (typeof TRACE_STATES)[number];
/** `traces.info_state`: the state a client's trace info reported (0 = none). */
export const INFO_STATE_RANK: Record<TraceState | "STATE_UNSPECIFIED", number> = { STATE_UNSPECIFIED: 0, IN_PROGRESS: 1, OK: 2, ERROR: 3 };

export const TAG_KINDS = ["tag", "metadata", "run", "info"] as const;
export type TagKind = (typeof TAG_KINDS)[number];

const count = z.coerce.number();

export const spanReadSchema = z.object({
  trace_id: z.string(),
  span_id: z.string(),
  parent_span_id: z.string(),
  experiment_id: z.string(),
  name: z.string(),
  span_type: z.string(),
  kind: z.string(),
  start_ns: z.string(),
  end_ns: z.string(),
  status: z.enum(SPAN_STATUSES),
  status_message: z.string(),
  inputs: z.string(),
  outputs: z.string(),
  attributes: z.record(z.string(), z.string()),
  events: z.string(),
  service_name: z.string(),
  model: z.string(),
  input_tokens: count,
  output_tokens: count,
  cost: count,
  session_id: z.string(),
  user_id: z.string(),
});
export type SpanRead = z.output<typeof spanReadSchema>;

/** One trace, merged from its roll-up rows. */
export const traceSummarySchema = z.object({
  trace_id: z.string(),
  experiment_id: z.string(),
  start_ns: z.string(),
  end_ns: z.string(),
  span_count: count,
  error_spans: count,
  state: z.enum(TRACE_STATES),
  name: z.string(),
  request_preview: z.string(),
  response_preview: z.string(),
  input_tokens: count,
  output_tokens: count,
  cost: count,
  session_id: z.string(),
  user_id: z.string(),
});
export type TraceSummary = z.output<typeof traceSummarySchema>;

export const tagReadSchema = z.object({ trace_id: z.string(), kind: z.enum(TAG_KINDS), key: z.string(), value: z.string() });

/** A ClickHouse DateTime64(9) literal for nanoseconds since the epoch. */
export function nanosToClickHouse(ns: bigint): string {
  const ms = ns / 1_000_000n;
  const iso = new Date(Number(ms)).toISOString();
  const fraction = (ns % 1_000_000_000n).toString().padStart(9, "0");
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}.${fraction}`;
}
