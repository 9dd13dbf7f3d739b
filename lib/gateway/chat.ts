import { z } from "zod";

/**
 * The gateway's lingua franca is OpenAI's chat format: requests and answers are held in this
 * shape, providers translate from and to it (lib/gateway/providers/), and it is what the log
 * stores. Unknown fields of a message are refused rather than silently dropped.
 */

const textPart = z.object({ type: z.literal("text"), text: z.string() });
const imagePart = z.object({ type: z.literal("image_url"), image_url: z.object({ url: z.string(), detail: z.string().optional() }) });
/** A file (e.g. a PDF) as a data: URL in file_data, or an id the upstream knows (OpenAI's file_id). */
const filePart = z.object({
  type: z.literal("file"),
  file: z.object({ file_data: z.string().optional(), file_id: z.string().optional(), filename: z.string().optional() }),
});
const audioPart = z.object({ type: z.literal("input_audio"), input_audio: z.object({ data: z.string(), format: z.string() }) });
const contentPartSchema = z.union([textPart, imagePart, filePart, audioPart]);
export type ContentPart = z.infer<typeof contentPartSchema>;
const contentSchema = z.union([z.string(), z.array(contentPartSchema).min(1)]);

export const toolCallSchema = z.object({
  id: z.string().min(1),
  type: z.literal("function"),
  function: z.object({ name: z.string().min(1), arguments: z.string() }),
});
export type ToolCall = z.infer<typeof toolCallSchema>;

export const messageSchema = z.discriminatedUnion("role", [
  z.object({ role: z.literal("system"), content: contentSchema, name: z.string().optional() }),
  z.object({ role: z.literal("developer"), content: contentSchema, name: z.string().optional() }),
  z.object({ role: z.literal("user"), content: contentSchema, name: z.string().optional() }),
  z.object({
    role: z.literal("assistant"),
    content: contentSchema.nullable().optional(),
    name: z.string().optional(),
    tool_calls: z.array(toolCallSchema).optional(),
  }),
  z.object({ role: z.literal("tool"), content: contentSchema, tool_call_id: z.string().min(1) }),
]);
export type ChatMessage = z.infer<typeof messageSchema>;

export const toolSchema = z.object({
  type: z.literal("function"),
  function: z.object({
    name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/, "tool names use letters, digits, _ and -, up to 64"),
    description: z.string().optional(),
    parameters: z.record(z.string(), z.unknown()).optional(),
    strict: z.boolean().nullable().optional(),
  }),
});
export type Tool = z.infer<typeof toolSchema>;

export const toolChoiceSchema = z.union([
  z.enum(["none", "auto", "required"]),
  z.object({ type: z.literal("function"), function: z.object({ name: z.string() }) }),
]);

export const responseFormatSchema = z.union([
  z.object({ type: z.literal("text") }),
  z.object({ type: z.literal("json_object") }),
  z.object({
    type: z.literal("json_schema"),
    json_schema: z.object({
      name: z.string(),
      schema: z.record(z.string(), z.unknown()).optional(),
      strict: z.boolean().nullable().optional(),
      description: z.string().optional(),
    }),
  }),
]);

/**
 * Generation parameters a request may set (they override the variant's). Known ones are checked;
 * unknown ones are kept and forwarded as they are to OpenAI-type providers (new OpenAI parameters
 * work before this list knows them), while providers that cannot take a parameter refuse it with a
 * 400 naming it (providers/anthropic.ts).
 */
export const paramsSchema = z
  .object({
    temperature: z.number().min(0).max(2).optional(),
    top_p: z.number().min(0).max(1).optional(),
    max_tokens: z.number().int().positive().optional(),
    /** OpenAI's newer name (required by its reasoning models); sent as is, mapped to max_tokens for Anthropic. */
    max_completion_tokens: z.number().int().positive().optional(),
    seed: z.number().int().optional(),
    stop: z.union([z.string(), z.array(z.string()).max(4)]).optional(),
    presence_penalty: z.number().min(-2).max(2).optional(),
    frequency_penalty: z.number().min(-2).max(2).optional(),
    tools: z.array(toolSchema).max(128).optional(),
    tool_choice: toolChoiceSchema.optional(),
    parallel_tool_calls: z.boolean().optional(),
    response_format: responseFormatSchema.optional(),
    logprobs: z.boolean().optional(),
    top_logprobs: z.number().int().min(0).max(20).optional(),
    logit_bias: z.record(z.string().regex(/^\d+$/, "logit_bias keys are token ids"), z.number().min(-100).max(100)).optional(),
    /** The end user, forwarded and recorded (the inference browser filters by it). */
    user: z.string().max(256).optional(),
    metadata: z.record(z.string().max(64), z.string().max(512)).optional(),
    store: z.boolean().optional(),
    service_tier: z.string().max(32).optional(),
    reasoning_effort: z.string().max(32).optional(),
  })
  .catchall(z.unknown());
export type ChatParams = z.infer<typeof paramsSchema>;

/** What a provider is asked: the upstream model name, messages, and parameters. */
export interface ChatRequest extends ChatParams {
  model: string;
  messages: ChatMessage[];
}

export type FinishReason = "stop" | "length" | "tool_calls" | "content_filter";

export interface Usage {
  input_tokens: number;
  output_tokens: number;
  /** Of input_tokens, those the provider read from its prompt cache (priced as cached input). */
  cached_input_tokens?: number;
  /** US dollars, set by the gateway on what it answers (the final streamed delta, a result). */
  cost?: number;
}

/** Token log probabilities, OpenAI's `choices[].logprobs` (kept as the upstream sent them). */
export interface Logprobs {
  content: unknown[] | null;
  refusal?: unknown[] | null;
}

/**
 * A provider's token count as the log's UInt32 column holds it: a negative, fractional, huge or
 * non-finite count (a misbehaving upstream) becomes the nearest count ClickHouse accepts, instead
 * of a row it refuses.
 */
export const tokenCountSchema = z.number().transform((n) => (Number.isFinite(n) ? Math.min(4_294_967_295, Math.max(0, Math.round(n))) : 0));

/** A complete answer. */
export interface ChatOutput {
  content: string | null;
  tool_calls?: ToolCall[];
  finish_reason: FinishReason;
  logprobs?: Logprobs;
  /** Set on what a broken stream delivered before it broke (logged with finish_reason null). */
  partial?: boolean;
  /** With `n` > 1: every choice in order (the first is also the fields above); absent for one. */
  choices?: ChoiceOutput[];
}
export type ChoiceOutput = Omit<ChatOutput, "choices" | "partial">;

export interface ChatResult extends ChatOutput {
  usage: Usage;
}

/**
 * One streamed piece, in OpenAI's `choices[i].delta` shape plus a final usage/finish. Pieces of
 * choice 0 have no `index`; with `n` > 1 the others carry theirs, each with its own finish_reason,
 * and the last piece of the stream (no index, finish_reason) ends choice 0 and the whole answer.
 */
export interface ChatDelta {
  index?: number;
  content?: string;
  /** Partial tool calls keyed by index, as OpenAI streams them. */
  tool_calls?: { index: number; id?: string; type?: "function"; function?: { name?: string; arguments?: string } }[];
  finish_reason?: FinishReason;
  usage?: Usage;
  logprobs?: Logprobs;
  /** The upstream's own Responses API event this piece came from (native pass-through, responses/native.ts). */
  event?: Record<string, unknown>;
}

/** The piece that ends a stream: a finish reason on choice 0. */
export const isFinal = (delta: ChatDelta) => delta.finish_reason !== undefined && !delta.index;

/** Assembles streamed deltas into a complete answer (what the log stores for a stream). */
export class DeltaAccumulator {
  content = "";
  sawContent = false;
  finish: FinishReason = "stop";
  usage: Usage | undefined;
  logprobs: unknown[] | undefined;
  private calls = new Map<number, ToolCall>();
  /** Choices 1.. of an `n` > 1 stream. */
  private others = new Map<number, DeltaAccumulator>();

  add(delta: ChatDelta): void {
    if (delta.index) {
      const other = this.others.get(delta.index) ?? new DeltaAccumulator();
      this.others.set(delta.index, other);
      other.add({ ...delta, index: undefined, usage: undefined });
      return;
    }
    if (delta.content) {
      this.content += delta.content;
      this.sawContent = true;
    }
    for (const part of delta.tool_calls ?? []) {
      const call = this.calls.get(part.index) ?? { id: "", type: "function" as const, function: { name: "", arguments: "" } };
      if (part.id) call.id = part.id;
      if (part.function?.name) call.function.name += part.function.name;
      if (part.function?.arguments) call.function.arguments += part.function.arguments;
      this.calls.set(part.index, call);
    }
    if (delta.finish_reason) this.finish = delta.finish_reason;
    if (delta.usage) this.usage = delta.usage;
    if (delta.logprobs?.content) (this.logprobs ??= []).push(...delta.logprobs.content);
  }

  output(): ChatOutput {
    const toolCalls = [...this.calls.entries()].sort(([a], [b]) => a - b).map(([, c]) => c);
    const own: ChoiceOutput = {
      content: this.sawContent || toolCalls.length === 0 ? this.content : null,
      ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
      finish_reason: this.finish,
      ...(this.logprobs ? { logprobs: { content: this.logprobs } } : {}),
    };
    if (this.others.size === 0) return own;
    const rest = [...this.others.entries()].sort(([a], [b]) => a - b).map(([, acc]) => acc.output());
    return { ...own, choices: [own, ...rest] };
  }
}

/** Text of a message's content (image parts are skipped). */
export function contentText(content: ChatMessage["content"]): string {
  if (content == null) return "";
  if (typeof content === "string") return content;
  return content.map((p) => (p.type === "text" ? p.text : "")).join("");
}

/** Rough token count (about 4 characters per token), for providers that report none. */
export const estimateTokens = (text: string) => (text.length === 0 ? 0 : Math.max(1, Math.ceil(text.length / 4)));
