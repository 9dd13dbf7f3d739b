import { z } from "zod";
import { messageSchema, paramsSchema, type ChatDelta, type ChatOutput, type Usage } from "./chat";

/**
 * Request and response shapes of the gateway's two inference routes: OpenAI's chat completions
 * (`POST /openai/v1/chat/completions`) and the native form (`POST /api/inference`).
 */

const cacheOption = z.strictObject({
  enabled: z.boolean().default(true),
  ttl_s: z
    .number()
    .int()
    .positive()
    .max(30 * 86_400)
    .optional(),
});
const tagsSchema = z.record(z.string().min(1).max(200), z.string().max(2000)).refine((t) => Object.keys(t).length <= 50, "at most 50 tags");

/** Extension fields accepted on the OpenAI route, in an `llmops` object of the body. */
const extensionSchema = z.strictObject({
  episode_id: z.uuid().optional(),
  variant: z.string().min(1).optional(),
  /** Matched by the function's routing rules (`hint = "…"`). */
  hint: z.string().min(1).max(200).optional(),
  variables: z.record(z.string(), z.unknown()).optional(),
  tags: tagsSchema.optional(),
  cache: cacheOption.optional(),
  dryrun: z.boolean().optional(),
});

export const openaiRequestSchema = paramsSchema
  .extend({
    model: z.string().min(1, "model is required"),
    messages: z.array(messageSchema),
    stream: z.boolean().optional(),
    stream_options: z.object({ include_usage: z.boolean().optional() }).nullish(),
    /** Choices per request: forwarded to OpenAI-type providers, n deterministic ones from dummy, a 400 from Anthropic. */
    n: z.number().int().min(1).max(128).optional(),
    llmops: extensionSchema.optional(),
  })
  .refine((b) => b.messages.length > 0 || b.llmops?.variables !== undefined, {
    message: "messages needs at least one message (or llmops.variables for a function's templates)",
    path: ["messages"],
  });
export type OpenAIRequest = z.infer<typeof openaiRequestSchema>;

export const FUNCTION_PREFIX = "function::";
export const MODEL_PREFIX = "model::";

/** `function::NAME` calls a function (a variant is chosen); `model::NAME` or a bare NAME calls a model. */
export function parseModelField(model: string): { functionName: string } | { modelName: string } {
  if (model.startsWith(FUNCTION_PREFIX)) return { functionName: model.slice(FUNCTION_PREFIX.length) };
  if (model.startsWith(MODEL_PREFIX)) return { modelName: model.slice(MODEL_PREFIX.length) };
  return { modelName: model };
}

export const nativeRequestSchema = z
  .strictObject({
    function_name: z.string().min(1).optional(),
    model_name: z.string().min(1).optional(),
    input: z
      .strictObject({
        variables: z.record(z.string(), z.unknown()).optional(),
        messages: z.array(messageSchema).optional(),
      })
      .default({}),
    params: paramsSchema.optional(),
    variant_name: z.string().min(1).optional(),
    hint: z.string().min(1).max(200).optional(),
    episode_id: z.uuid().optional(),
    tags: tagsSchema.optional(),
    dryrun: z.boolean().optional(),
    stream: z.boolean().optional(),
    cache: cacheOption.optional(),
  })
  .refine((r) => (r.function_name === undefined) !== (r.model_name === undefined), {
    message: "give exactly one of function_name or model_name",
  });
export type NativeRequest = z.infer<typeof nativeRequestSchema>;

export interface CompletionMeta {
  inferenceId: string;
  model: string;
  created: number;
}

export function openaiCompletion(meta: CompletionMeta, output: ChatOutput, usage: Usage) {
  return {
    id: meta.inferenceId,
    object: "chat.completion" as const,
    created: meta.created,
    model: meta.model,
    choices: (output.choices ?? [output]).map((choice, index) => ({
      index,
      message: {
        role: "assistant" as const,
        content: choice.content,
        refusal: null,
        ...(choice.tool_calls?.length ? { tool_calls: choice.tool_calls } : {}),
      },
      finish_reason: choice.finish_reason,
      logprobs: choice.logprobs ?? null,
    })),
    usage: openaiUsage(usage),
  };
}

/** One `chat.completion.chunk` for a delta, on its choice (the first of each choice carries the role). */
export function openaiChunk(meta: CompletionMeta, delta: ChatDelta, first: boolean) {
  const body: Record<string, unknown> = {};
  if (first) body.role = "assistant";
  if (delta.content !== undefined) body.content = delta.content;
  if (delta.tool_calls) body.tool_calls = delta.tool_calls;
  return {
    id: meta.inferenceId,
    object: "chat.completion.chunk" as const,
    created: meta.created,
    model: meta.model,
    choices: [{ index: delta.index ?? 0, delta: body, finish_reason: delta.finish_reason ?? null, logprobs: delta.logprobs ?? null }],
  };
}

export function openaiUsageChunk(meta: CompletionMeta, usage: Usage) {
  return {
    id: meta.inferenceId,
    object: "chat.completion.chunk" as const,
    created: meta.created,
    model: meta.model,
    choices: [],
    usage: openaiUsage(usage),
  };
}

/** OpenAI's usage object, with the cached prompt tokens and `cost` in US dollars (as OpenRouter reports it). */
export function openaiUsage(usage: Usage) {
  return {
    prompt_tokens: usage.input_tokens,
    completion_tokens: usage.output_tokens,
    total_tokens: usage.input_tokens + usage.output_tokens,
    ...(usage.cached_input_tokens ? { prompt_tokens_details: { cached_tokens: usage.cached_input_tokens } } : {}),
    ...(usage.cost !== undefined ? { cost: usage.cost } : {}),
  };
}
