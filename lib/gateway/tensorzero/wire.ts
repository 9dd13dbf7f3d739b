import { z } from "zod";
import { AppError } from "@/lib/http/errors";
import type { ChatDelta, ChatMessage, ChatOutput, ChatParams, FinishReason, Tool, Usage } from "../chat";
import type { InferenceInput } from "../plan.server";

/**
 * TensorZero's native HTTP API (`POST /inference`), written from its API reference and client
 * source: the request as its clients send it (every unset field as `null`, content blocks, params
 * per variant type) translated to the gateway's InferenceInput, and the answer and stream chunks
 * in its shape. What has no meaning here is accepted and listed in `ignored` (logged by the route).
 */

const uuid = z.uuid();
const record = z.record(z.string(), z.unknown());

/** A text block carries `text`, or `arguments` that fill the variant's templates. */
const textBlock = z.object({ type: z.literal("text"), text: z.string().nullish(), arguments: record.nullish() });
const rawTextBlock = z.object({ type: z.literal("raw_text"), value: z.string() });
const toolCallBlock = z.object({
  type: z.literal("tool_call"),
  id: z.string().min(1),
  name: z.string().nullish(),
  raw_name: z.string().nullish(),
  arguments: z.unknown().optional(),
  raw_arguments: z.string().nullish(),
});
const toolResultBlock = z.object({ type: z.literal("tool_result"), id: z.string().min(1), name: z.string().nullish(), result: z.string() });
const fileBlock = z.object({
  type: z.enum(["image", "file"]),
  url: z.string().nullish(),
  mime_type: z.string().nullish(),
  data: z.string().nullish(),
});
const droppedBlock = z.object({ type: z.enum(["thought", "unknown"]) });
const blockSchema = z.discriminatedUnion("type", [textBlock, rawTextBlock, toolCallBlock, toolResultBlock, fileBlock, droppedBlock]);
type Block = z.infer<typeof blockSchema>;

const messageSchema = z.object({
  role: z.enum(["user", "assistant"]),
  /** A string, a list of blocks, or (deprecated) an object of template arguments. */
  content: z.union([z.string(), z.array(blockSchema), record]),
});

const chatCompletionParams = z.object({
  temperature: z.number().min(0).max(2).nullish(),
  max_tokens: z.number().int().positive().nullish(),
  seed: z.number().int().nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  presence_penalty: z.number().min(-2).max(2).nullish(),
  frequency_penalty: z.number().min(-2).max(2).nullish(),
  stop_sequences: z.array(z.string()).max(4).nullish(),
  json_mode: z.enum(["off", "on", "strict", "tool", "implicit_tool"]).nullish(),
});
const CHAT_PARAM_KEYS = new Set(Object.keys(chatCompletionParams.shape));

const toolSchema = z.object({
  name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/, "tool names use letters, digits, _ and -, up to 64"),
  description: z.string().nullish(),
  parameters: record,
  strict: z.boolean().nullish(),
});

export const tzInferenceSchema = z
  .object({
    function_name: z.string().min(1).nullish(),
    model_name: z.string().min(1).nullish(),
    episode_id: uuid.nullish(),
    input: z.object({ system: z.union([z.string(), record]).nullish(), messages: z.array(messageSchema).nullish() }).default({}),
    stream: z.boolean().nullish(),
    params: z.record(z.string(), z.record(z.string(), z.unknown()).nullish()).nullish(),
    variant_name: z.string().min(1).nullish(),
    dryrun: z.boolean().nullish(),
    tags: z
      .record(z.string().min(1).max(200), z.string().max(2000))
      .refine((t) => Object.keys(t).length <= 50, "at most 50 tags")
      .nullish(),
    allowed_tools: z.array(z.string()).nullish(),
    additional_tools: z.array(toolSchema).max(128).nullish(),
    tool_choice: z.union([z.enum(["none", "auto", "required"]), z.object({ specific: z.string().min(1) })]).nullish(),
    parallel_tool_calls: z.boolean().nullish(),
    output_schema: record.nullish(),
    cache_options: z
      .object({
        enabled: z.enum(["on", "off", "write_only", "read_only"]).nullish(),
        max_age_s: z
          .number()
          .int()
          .positive()
          .max(30 * 86_400)
          .nullish(),
      })
      .nullish(),
    credentials: record.nullish(),
    include_original_response: z.boolean().nullish(),
    extra_body: z.array(z.unknown()).nullish(),
    extra_headers: z.array(z.unknown()).nullish(),
    internal: z.boolean().nullish(),
  })
  .refine((r) => (r.function_name == null) !== (r.model_name == null), { message: "give exactly one of function_name or model_name" });
export type TzInferenceRequest = z.infer<typeof tzInferenceSchema>;
const KNOWN_KEYS = new Set([...Object.keys(tzInferenceSchema.shape), "internal"]);

export interface Translated {
  input: InferenceInput;
  stream: boolean;
  /** The answer's shape: `output: {raw, parsed}` (JSON functions, or an `output_schema`) or `content` blocks. */
  json: boolean;
  /** Tool names the model may call: a tool call naming another gets `name: null`. */
  toolNames: Set<string>;
  /** Fields accepted but without effect here, for the log and the `x-llmops-ignored` header. */
  ignored: string[];
}

const isEmpty = (v: unknown) => v == null || (Array.isArray(v) && v.length === 0) || (typeof v === "object" && Object.keys(v).length === 0);

/** A TensorZero message list as chat messages, with the template arguments found in it. */
export function translateMessages(
  system: string | Record<string, unknown> | null | undefined,
  messages: z.infer<typeof messageSchema>[],
  ignored: Set<string>,
): { messages: ChatMessage[]; variables: Record<string, unknown> | undefined } {
  let variables: Record<string, unknown> | undefined;
  const addArguments = (args: Record<string, unknown>) => (variables = { ...variables, ...args });
  const out: ChatMessage[] = [];
  if (typeof system === "string") out.push({ role: "system", content: system });
  else if (system) addArguments(system);
  for (const [i, message] of messages.entries()) {
    const blocks: Block[] =
      typeof message.content === "string"
        ? [{ type: "text", text: message.content }]
        : Array.isArray(message.content)
          ? message.content
          : [{ type: "text", arguments: message.content }];
    const parts: ({ type: "text"; text: string } | { type: "image_url"; image_url: { url: string } })[] = [];
    const toolCalls: { id: string; type: "function"; function: { name: string; arguments: string } }[] = [];
    for (const [j, block] of blocks.entries()) {
      const where = `input.messages[${i}].content[${j}]`;
      switch (block.type) {
        case "text":
          if (block.arguments) addArguments(block.arguments);
          else if (typeof block.text === "string") parts.push({ type: "text", text: block.text });
          else throw bad(`${where}: a text block needs text or arguments`);
          break;
        case "raw_text":
          parts.push({ type: "text", text: block.value });
          break;
        case "tool_call": {
          if (message.role !== "assistant") throw bad(`${where}: a tool_call block belongs in an assistant message`);
          const args =
            block.raw_arguments ?? (typeof block.arguments === "string" ? block.arguments : JSON.stringify(block.arguments ?? {}));
          toolCalls.push({ id: block.id, type: "function", function: { name: block.name ?? block.raw_name ?? "", arguments: args } });
          break;
        }
        case "tool_result":
          // OpenAI's shape: one `tool` message per result, right after the assistant's calls.
          out.push({ role: "tool", tool_call_id: block.id, content: block.result });
          break;
        case "image":
        case "file": {
          const url = block.url ?? (block.data && block.mime_type ? `data:${block.mime_type};base64,${block.data}` : undefined);
          if (!url) throw bad(`${where}: a ${block.type} block needs url, or mime_type and data`);
          if (block.mime_type && !block.mime_type.startsWith("image/"))
            throw bad(`${where}: only image files can be sent here (got ${block.mime_type})`);
          parts.push({ type: "image_url", image_url: { url } });
          break;
        }
        case "thought":
        case "unknown":
          ignored.add(`${block.type} content blocks`);
          break;
      }
    }
    if (message.role === "assistant") {
      if (parts.length === 0 && toolCalls.length === 0) continue;
      if (parts.some((p) => p.type !== "text")) throw bad(`input.messages[${i}]: an assistant message cannot carry files`);
      const text = parts.map((p) => (p.type === "text" ? p.text : "")).join("");
      out.push({ role: "assistant", content: parts.length ? text : null, ...(toolCalls.length ? { tool_calls: toolCalls } : {}) });
    } else if (parts.length > 0) {
      const plain = parts.every((p) => p.type === "text");
      out.push({ role: "user", content: plain ? parts.map((p) => (p.type === "text" ? p.text : "")).join("") : parts });
    }
  }
  return { messages: out, variables };
}

const bad = (message: string) => new AppError("bad_request", message);

const TOOL_CHOICE = (c: NonNullable<TzInferenceRequest["tool_choice"]>): ChatParams["tool_choice"] =>
  typeof c === "string" ? c : { type: "function", function: { name: c.specific } };

/** The gateway's InferenceInput for a TensorZero request; `raw` (already parsed JSON) names unknown keys. */
export function translateInference(
  raw: Record<string, unknown>,
  body: TzInferenceRequest,
  isJsonFunction: (name: string) => boolean,
): Translated {
  const ignored = new Set<string>(Object.keys(raw).filter((k) => !KNOWN_KEYS.has(k)));
  const { messages, variables } = translateMessages(body.input.system, body.input.messages ?? [], ignored);
  const params: ChatParams = {};
  for (const [variantType, values] of Object.entries(body.params ?? {})) {
    if (!values) continue;
    if (variantType !== "chat_completion") {
      if (!isEmpty(values)) ignored.add(`params.${variantType}`);
      continue;
    }
    const parsed = chatCompletionParams.parse(values);
    for (const [k, v] of Object.entries(values)) if (!CHAT_PARAM_KEYS.has(k) && v != null) ignored.add(`params.chat_completion.${k}`);
    if (parsed.temperature != null) params.temperature = parsed.temperature;
    if (parsed.max_tokens != null) params.max_tokens = parsed.max_tokens;
    if (parsed.seed != null) params.seed = parsed.seed;
    if (parsed.top_p != null) params.top_p = parsed.top_p;
    if (parsed.presence_penalty != null) params.presence_penalty = parsed.presence_penalty;
    if (parsed.frequency_penalty != null) params.frequency_penalty = parsed.frequency_penalty;
    if (parsed.stop_sequences != null) params.stop = parsed.stop_sequences;
    if (parsed.json_mode && parsed.json_mode !== "off") params.response_format = { type: "json_object" };
  }
  const tools: Tool[] = (body.additional_tools ?? []).map((t) => ({
    type: "function",
    function: { name: t.name, description: t.description ?? undefined, parameters: t.parameters, strict: t.strict ?? undefined },
  }));
  if (tools.length) params.tools = tools;
  if (body.tool_choice != null) params.tool_choice = TOOL_CHOICE(body.tool_choice);
  if (body.parallel_tool_calls != null) params.parallel_tool_calls = body.parallel_tool_calls;
  if (body.output_schema) params.response_format = { type: "json_schema", json_schema: { name: "output", schema: body.output_schema } };
  if (body.allowed_tools != null) ignored.add("allowed_tools (tools come from additional_tools)");
  if (!isEmpty(body.credentials)) ignored.add("credentials (keys come from the gateway's environment)");
  if (body.include_original_response) ignored.add("include_original_response");
  if (!isEmpty(body.extra_body)) ignored.add("extra_body");
  if (!isEmpty(body.extra_headers)) ignored.add("extra_headers");
  const cacheMode = body.cache_options?.enabled;
  if (cacheMode === "read_only") ignored.add("cache_options.enabled=read_only (served as on)");
  const cache =
    cacheMode === "on" || cacheMode === "read_only"
      ? { enabled: true, ...(body.cache_options?.max_age_s ? { ttl_s: body.cache_options.max_age_s } : {}) }
      : cacheMode === "off"
        ? { enabled: false }
        : undefined; // write_only (the clients' default): the function's own cache setting
  const functionName = body.function_name ?? undefined;
  return {
    input: {
      ...(functionName ? { functionName } : { modelName: body.model_name! }),
      messages,
      variables,
      params,
      variant: body.variant_name ?? undefined,
      episodeId: body.episode_id ?? undefined,
      tags: isEmpty(body.tags) ? undefined : body.tags!,
      dryrun: body.dryrun ?? undefined,
      cache,
    },
    stream: body.stream ?? false,
    json: Boolean(body.output_schema) || (functionName !== undefined && isJsonFunction(functionName)),
    toolNames: new Set(tools.map((t) => t.function.name)),
    ignored: [...ignored].sort(),
  };
}

export type TzFinishReason = "stop" | "length" | "tool_call" | "content_filter" | "unknown";
export const tzFinishReason = (r: FinishReason): TzFinishReason => (r === "tool_calls" ? "tool_call" : r);

export interface TzMeta {
  inferenceId: string;
  episodeId: string;
  variantName: string;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** The answer of `POST /inference`: content blocks (chat) or `output: {raw, parsed}` (JSON). */
export function tzResponse(meta: TzMeta, output: ChatOutput, usage: Usage, json: boolean, toolNames: Set<string>) {
  const head = { inference_id: meta.inferenceId, episode_id: meta.episodeId, variant_name: meta.variantName };
  const tail = {
    usage: { input_tokens: usage.input_tokens, output_tokens: usage.output_tokens },
    finish_reason: tzFinishReason(output.finish_reason),
  };
  if (json) {
    const raw = output.content ?? output.tool_calls?.[0]?.function.arguments ?? "";
    const parsed = parseJson(raw);
    return {
      ...head,
      output: { raw, parsed: parsed !== null && typeof parsed === "object" && !Array.isArray(parsed) ? parsed : null },
      ...tail,
    };
  }
  const content: unknown[] = [];
  if (output.content) content.push({ type: "text", text: output.content });
  for (const call of output.tool_calls ?? []) {
    const args = parseJson(call.function.arguments);
    content.push({
      type: "tool_call",
      id: call.id,
      name: toolNames.size === 0 || toolNames.has(call.function.name) ? call.function.name : null,
      raw_name: call.function.name,
      arguments: args !== null && typeof args === "object" && !Array.isArray(args) ? args : null,
      raw_arguments: call.function.arguments,
    });
  }
  return { ...head, content, ...tail };
}

/** Turns the gateway's deltas into TensorZero's stream chunks (text block id "0"; tool calls by their id). */
export function tzChunker(meta: TzMeta, json: boolean) {
  const ids = new Map<number, string>();
  const head = { inference_id: meta.inferenceId, episode_id: meta.episodeId, variant_name: meta.variantName };
  return (delta: ChatDelta): unknown[] => {
    const tail = {
      ...(delta.usage ? { usage: { input_tokens: delta.usage.input_tokens, output_tokens: delta.usage.output_tokens } } : {}),
      ...(delta.finish_reason ? { finish_reason: tzFinishReason(delta.finish_reason) } : {}),
    };
    if (json) {
      const raw = (delta.content ?? "") + (delta.tool_calls ?? []).map((c) => c.function?.arguments ?? "").join("");
      return raw || Object.keys(tail).length ? [{ ...head, raw, ...tail }] : [];
    }
    const content: unknown[] = [];
    if (delta.content) content.push({ type: "text", id: "0", text: delta.content });
    for (const call of delta.tool_calls ?? []) {
      if (call.id) ids.set(call.index, call.id);
      content.push({
        type: "tool_call",
        id: ids.get(call.index) ?? String(call.index),
        raw_name: call.function?.name ?? "",
        raw_arguments: call.function?.arguments ?? "",
      });
    }
    return content.length || Object.keys(tail).length ? [{ ...head, content, ...tail }] : [];
  };
}
