import { z } from "zod";
import { count, flag, real } from "@/lib/clickhouse/columns";

/**
 * The row shapes the inference log's readers get (lib/inference/*.server.ts), one zod schema per
 * shape, parsed once where rows arrive. Times stay ClickHouse DateTime64(3) text, as stored (keyset
 * cursors compare it exactly); ids are UUID text.
 */

/** A row of the inference browser's list: the columns a table shows and a preview of the output. */
export const inferenceListRow = z.object({
  id: z.string(),
  episode_id: z.string(),
  timestamp: z.string(),
  function_name: z.string(),
  variant_name: z.string(),
  model_name: z.string(),
  status: z.string(),
  latency_ms: count,
  input_tokens: count,
  output_tokens: count,
  cost: real,
  cached: flag,
  preview: z.string(),
});
export type InferenceListRow = z.output<typeof inferenceListRow>;

/** A whole stored inference (InferenceRow as read back). */
export const inferenceRecord = z.object({
  id: z.string(),
  episode_id: z.string(),
  function_name: z.string(),
  variant_name: z.string(),
  model_name: z.string(),
  provider_name: z.string(),
  prompt_version: z.string(),
  input: z.string(),
  output: z.string(),
  input_tokens: count,
  output_tokens: count,
  cost: real,
  latency_ms: count,
  ttft_ms: real,
  status: z.string(),
  error: z.string(),
  cached: flag,
  streamed: flag,
  tags: z.record(z.string(), z.string()),
  timestamp: z.string(),
  trace_id: z.string().default(""),
  guardrails: z
    .array(
      z.object({
        name: z.string(),
        kind: z.string(),
        stage: z.string(),
        mode: z.string(),
        outcome: z.string(),
        detail: z.string(),
        duration_ms: z.coerce.number(),
      }),
    )
    .default([]),
});
export type InferenceRecord = z.output<typeof inferenceRecord>;

/** A stored model call (ModelCallRow as read back, without the columns its inference repeats). */
export const modelCallRecord = z.object({
  id: z.string(),
  attempt: count,
  model_name: z.string(),
  provider_name: z.string(),
  status: z.string(),
  error: z.string(),
  latency_ms: count,
  ttft_ms: real,
  input_tokens: count,
  output_tokens: count,
  cost: real,
  request: z.string(),
  response: z.string(),
  timestamp: z.string(),
});
export type ModelCallRecord = z.output<typeof modelCallRecord>;

/** Feedback about an inference or its episode, as the inference page lists it. */
export const feedbackRecord = z.object({
  id: z.string(),
  target_type: z.string(),
  metric_name: z.string(),
  kind: z.string(),
  value: real,
  text: z.string(),
  tags: z.record(z.string(), z.string()),
  timestamp: z.string(),
});
export type FeedbackRecord = z.output<typeof feedbackRecord>;

/** An inference of an episode, in order. */
export const episodeMember = z.object({ id: z.string(), function_name: z.string(), variant_name: z.string(), timestamp: z.string() });
export type EpisodeMember = z.output<typeof episodeMember>;

/** An inference with its input and output cut to a length (labelling queues' snapshots). */
export const inferenceSnapshot = z.object({
  id: z.string(),
  episode_id: z.string(),
  function_name: z.string(),
  variant_name: z.string(),
  model_name: z.string(),
  input_snapshot: z.string(),
  output_snapshot: z.string(),
  timestamp: z.string(),
});
export type InferenceSnapshot = z.output<typeof inferenceSnapshot>;

/** Where an inference sits in the log: its sort-key prefix, from the by-id lookup table. */
export const inferenceKey = z.object({ id: z.string(), episode_id: z.string(), function_name: z.string(), variant_name: z.string() });
export type InferenceKey = z.output<typeof inferenceKey>;
