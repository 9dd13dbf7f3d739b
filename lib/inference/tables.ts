/**
 * The rows of the gateway's ClickHouse log (db/clickhouse/0003_inference.sql), shared by the
 * writer (the gateway's recorder and feedback), the readers (functions & variants pages, A/B
 * results, inference browser, labelling) and the lineage graph. Times are ClickHouse
 * DateTime64(3, 'UTC') written as "YYYY-MM-DD hh:mm:ss.sss"; ids are UUIDv7 strings.
 */

export const INFERENCE_STATUSES = ["ok", "error"] as const;
export type InferenceStatus = (typeof INFERENCE_STATUSES)[number];

/**
 * Inferences made by naming a model directly (OpenAI route with `model: "model::NAME"` or a bare
 * model name) are logged with this function name and the model's name as the variant, so every
 * reader can group by (function, variant) without special cases.
 */
export const DIRECT_MODEL_FUNCTION = "llmops::model";

/**
 * Embedding calls (`POST /openai/v1/embeddings`) are logged under this function name, the model
 * as the variant, so the dashboards show them as their own kind of call beside functions. Their
 * `input` is `{ "input": [...], "params"?: {...} }` and their `output` `{ "embeddings", "dimensions", "cached" }`.
 */
export const EMBEDDING_FUNCTION = "llmops::embedding";

export interface InferenceRow {
  id: string;
  episode_id: string;
  function_name: string;
  variant_name: string;
  model_name: string;
  /** The provider that produced the answer (the last one tried when all failed). */
  provider_name: string;
  /** Prompt version used, as `name/version` (lineage id of the prompt_version node); "" if none. */
  prompt_version: string;
  /** JSON: `{ "messages": [...], "variables"?: {...}, "params"?: {...} }` as sent by the client. */
  input: string;
  /** JSON: `{ "content": string | null, "tool_calls"?: [...], "finish_reason"?: string }`. */
  output: string;
  input_tokens: number;
  output_tokens: number;
  /** US dollars, from the configured price table; 0 when cached or unpriced. */
  cost: number;
  latency_ms: number;
  ttft_ms: number | null;
  status: InferenceStatus;
  error: string;
  cached: boolean;
  streamed: boolean;
  tags: Record<string, string>;
  /** The caller's W3C traceparent trace and span (hex) when it sent one; "" otherwise (lib/traces). */
  trace_id?: string;
  span_id?: string;
  /** The client's `user` parameter (its end user); "" when none (db/clickhouse/0007). */
  end_user?: string;
  /** Guardrail verdicts (lib/guardrails, db/clickhouse/0008); left out when none ran. */
  guardrails?: GuardrailVerdictRow[];
  timestamp: string;
}

/** One guardrail check of an inference, as stored in `inferences.guardrails`. */
export interface GuardrailVerdictRow {
  name: string;
  kind: string;
  stage: "input" | "output";
  mode: string;
  /** pass | flagged | redacted | blocked | error */
  outcome: string;
  detail: string;
  duration_ms: number;
}

export interface ModelCallRow {
  id: string;
  inference_id: string;
  /** 0-based order of attempts within the inference: retries and fallbacks each add one. */
  attempt: number;
  function_name: string;
  variant_name: string;
  model_name: string;
  provider_name: string;
  /** JSON sent upstream (secrets never included). */
  request: string;
  /** Upstream body (or the assembled stream), possibly truncated. */
  response: string;
  input_tokens: number;
  output_tokens: number;
  cost: number;
  latency_ms: number;
  ttft_ms: number | null;
  status: InferenceStatus;
  error: string;
  timestamp: string;
}

/** `trace`: an MLflow assessment of a trace (target_id = the trace id's UUID spelling; lib/traces). */
export const FEEDBACK_TARGETS = ["inference", "episode", "trace"] as const;
export type FeedbackTarget = (typeof FEEDBACK_TARGETS)[number];

/** `float` and `boolean` carry `value` (booleans as 0/1); `comment` and `demonstration` carry `text`. */
export const FEEDBACK_KINDS = ["float", "boolean", "comment", "demonstration"] as const;
export type FeedbackKind = (typeof FEEDBACK_KINDS)[number];

/** Metric names used for the two kinds that are not declared metrics. */
export const COMMENT_METRIC = "comment";
export const DEMONSTRATION_METRIC = "demonstration";

/** Tags every feedback writer should set where it applies. */
export const FEEDBACK_TAGS = {
  /** "human" (a reviewer), "api" (a client) or "demo" (seeded). */
  source: "llmops.source",
  reviewer: "llmops.reviewer",
  /** The identity that sent feedback through the API (an account or a key). */
  sentBy: "llmops.sent_by",
  queue: "llmops.queue",
} as const;

export interface FeedbackRow {
  id: string;
  target_type: FeedbackTarget;
  /** An inference id, an episode id or a trace id (as a UUID), per target_type. */
  target_id: string;
  /** Denormalised from the target at write time, so A/B reads need no join. */
  function_name: string;
  variant_name: string;
  /**
   * The target's episode (the target itself for an episode), denormalised like the function so
   * the A/B statistics group by episode without a join. Omitted: the column's default (ClickHouse
   * 0010), which the A/B query resolves through inference_by_id.
   */
  episode_id?: string;
  metric_name: string;
  kind: FeedbackKind;
  value: number;
  /** Comment text, or the demonstration's JSON (same shape as InferenceRow.output). */
  text: string;
  tags: Record<string, string>;
  timestamp: string;
}

export interface CacheRow {
  /** sha256 hex of the canonical request (model/variant, messages, params). */
  cache_key: string;
  function_name: string;
  variant_name: string;
  model_name: string;
  output: string;
  input_tokens: number;
  output_tokens: number;
  inference_id: string;
  timestamp: string;
}

/** ClickHouse DateTime64(3) text for a JS date, e.g. "2026-11-23 10:51:00.123". */
/**
 * The instants a client may ask about, in epoch ms: what ClickHouse's `DateTime` holds
 * (1970-01-01 to 2106-02-07 06:28:15 UTC; DateTime64 reaches further, but the dashboards' rollups
 * and range parameters are DateTime). Outside it a query would wrap around or fail.
 */
export const CLICKHOUSE_TIME_RANGE = { min: 0, max: 4_294_967_295_000 } as const;

export function isClickHouseTime(ms: number): boolean {
  return Number.isFinite(ms) && ms >= CLICKHOUSE_TIME_RANGE.min && ms <= CLICKHOUSE_TIME_RANGE.max;
}

export const CLICKHOUSE_TIME_MESSAGE = "must lie between 1970-01-01T00:00:00Z and 2106-02-07T06:28:15Z (epoch ms 0 to 4294967295000)";

export function toClickHouseTime(date: Date): string {
  const iso = date.toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}`;
}
