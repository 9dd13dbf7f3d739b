import type { Dispatcher } from "undici";
import { z } from "zod";
import {
  contentText,
  tokenCountSchema,
  type ChatDelta,
  type ChatMessage,
  type ChatRequest,
  type FinishReason,
  type ToolCall,
  type Usage,
} from "../chat";
import type { ProviderConfig } from "../config";
import { keepAliveAgent, postJson, readText, sseData } from "./http";
import { UpstreamError, type CallOptions, type CompleteResult, type Provider } from "./types";

type AnthropicConfig = Extract<ProviderConfig, { type: "anthropic" }>;

/** Anthropic requires max_tokens; this is used when neither the request nor the variant sets it. */
export const ANTHROPIC_DEFAULT_MAX_TOKENS = 4096;

type Block =
  | { type: "text"; text: string }
  | { type: "image"; source: { type: "url"; url: string } | { type: "base64"; media_type: string; data: string } }
  | { type: "document"; source: { type: "base64"; media_type: string; data: string }; title?: string }
  | { type: "tool_use"; id: string; name: string; input: unknown }
  | { type: "tool_result"; tool_use_id: string; content: string };

function userBlocks(content: Extract<ChatMessage, { role: "user" }>["content"]): Block[] {
  if (typeof content === "string") return [{ type: "text", text: content }];
  return content.map((part): Block => {
    if (part.type === "text") return { type: "text", text: part.text };
    if (part.type === "file") {
      const file = /^data:([^;]+);base64,(.*)$/s.exec(part.file.file_data ?? "");
      if (!file) throw cannotTake("a file part without file_data as a data: URL (file_id is OpenAI's)");
      return {
        type: "document",
        source: { type: "base64", media_type: file[1]!, data: file[2]! },
        ...(part.file.filename ? { title: part.file.filename } : {}),
      };
    }
    if (part.type === "input_audio") throw cannotTake("input_audio parts");
    const data = /^data:([^;]+);base64,(.*)$/s.exec(part.image_url.url);
    return data
      ? { type: "image", source: { type: "base64", media_type: data[1]!, data: data[2]! } }
      : { type: "image", source: { type: "url", url: part.image_url.url } };
  });
}

/**
 * Parameters the Messages API takes (translated below) or that have no meaning there and are
 * dropped: `store` and `metadata` (OpenAI's stored completions; the gateway records the call anyway),
 * `service_tier`, `seed`, and the penalties (sampling hints Anthropic lacks). Anything else is refused.
 */
const ANTHROPIC_PARAMS = new Set([
  "model",
  "messages",
  "temperature",
  "top_p",
  "max_tokens",
  "max_completion_tokens",
  "stop",
  "tools",
  "tool_choice",
  "parallel_tool_calls",
  "response_format",
  "user",
  "store",
  "metadata",
  "service_tier",
  "seed",
  "presence_penalty",
  "frequency_penalty",
]);

function refuseUnsupported(request: ChatRequest): void {
  if (typeof request.n === "number" && request.n > 1)
    throw cannotTake("n > 1 (the Messages API returns one answer per request; send n requests)");
  const refused = Object.keys(request).filter((k) => !ANTHROPIC_PARAMS.has(k) && request[k] !== undefined);
  if (refused.length > 0) throw cannotTake(`the parameter${refused.length > 1 ? "s" : ""} ${refused.join(", ")}`);
}

/** A request part Anthropic's API has no place for: a 400 (not retried; the next provider may take it). */
const cannotTake = (what: string) => new UpstreamError(`anthropic cannot take ${what}`, "http", 400);

function parseArguments(text: string): unknown {
  try {
    return JSON.parse(text || "{}");
  } catch {
    return { _raw: text };
  }
}

/** OpenAI chat request → Anthropic Messages request. */
export function toAnthropic(request: ChatRequest, stream: boolean): Record<string, unknown> {
  const system: string[] = [];
  const messages: { role: "user" | "assistant"; content: Block[] }[] = [];
  const push = (role: "user" | "assistant", blocks: Block[]) => {
    const last = messages[messages.length - 1];
    if (last && last.role === role) last.content.push(...blocks);
    else messages.push({ role, content: blocks });
  };
  for (const m of request.messages) {
    switch (m.role) {
      case "system":
      case "developer":
        system.push(contentText(m.content));
        break;
      case "user":
        push("user", userBlocks(m.content));
        break;
      case "assistant": {
        const blocks: Block[] = [];
        const text = contentText(m.content ?? "");
        if (text) blocks.push({ type: "text", text });
        for (const call of m.tool_calls ?? [])
          blocks.push({ type: "tool_use", id: call.id, name: call.function.name, input: parseArguments(call.function.arguments) });
        if (blocks.length > 0) push("assistant", blocks);
        break;
      }
      case "tool":
        push("user", [{ type: "tool_result", tool_use_id: m.tool_call_id, content: contentText(m.content) }]);
        break;
    }
  }
  if (request.response_format && request.response_format.type !== "text") {
    const schema =
      request.response_format.type === "json_schema" && request.response_format.json_schema.schema
        ? ` matching this JSON schema: ${JSON.stringify(request.response_format.json_schema.schema)}`
        : "";
    system.push(`Respond with a single JSON object${schema}, and nothing else.`);
  }
  refuseUnsupported(request);
  const body: Record<string, unknown> = {
    model: request.model,
    messages,
    max_tokens: request.max_completion_tokens ?? request.max_tokens ?? ANTHROPIC_DEFAULT_MAX_TOKENS,
    ...(request.user !== undefined ? { metadata: { user_id: request.user } } : {}),
    ...(system.length ? { system: system.join("\n\n") } : {}),
    ...(request.temperature !== undefined ? { temperature: Math.min(1, request.temperature) } : {}),
    ...(request.top_p !== undefined ? { top_p: request.top_p } : {}),
    ...(request.stop !== undefined ? { stop_sequences: typeof request.stop === "string" ? [request.stop] : request.stop } : {}),
    ...(stream ? { stream: true } : {}),
  };
  if (request.tools?.length) {
    body.tools = request.tools.map((t) => ({
      name: t.function.name,
      ...(t.function.description ? { description: t.function.description } : {}),
      input_schema: t.function.parameters ?? { type: "object", properties: {} },
    }));
    const choice = request.tool_choice;
    const noParallel = request.parallel_tool_calls === false ? { disable_parallel_tool_use: true } : {};
    if (choice === "none") body.tool_choice = { type: "none" };
    else if (choice === "required") body.tool_choice = { type: "any", ...noParallel };
    else if (typeof choice === "object") body.tool_choice = { type: "tool", name: choice.function.name, ...noParallel };
    else body.tool_choice = { type: "auto", ...noParallel };
  }
  return body;
}

const stopReason = (value: unknown): FinishReason =>
  value === "max_tokens" ? "length" : value === "tool_use" ? "tool_calls" : value === "refusal" ? "content_filter" : "stop";

const responseSchema = z.object({
  content: z.array(
    z.union([
      z.object({ type: z.literal("text"), text: z.string() }),
      z.object({ type: z.literal("tool_use"), id: z.string(), name: z.string(), input: z.unknown() }),
      z.object({ type: z.string() }),
    ]),
  ),
  stop_reason: z.string().nullish(),
  usage: z
    .object({
      input_tokens: tokenCountSchema.default(0),
      output_tokens: tokenCountSchema.default(0),
      cache_read_input_tokens: tokenCountSchema.nullish(),
    })
    .default({ input_tokens: 0, output_tokens: 0 }),
});

/** Anthropic Messages response → OpenAI-shaped answer. */
export function fromAnthropic(body: unknown): Omit<CompleteResult, "raw"> {
  const parsed = responseSchema.parse(body);
  let text = "";
  const toolCalls: ToolCall[] = [];
  for (const block of parsed.content) {
    if ("text" in block && block.type === "text") text += block.text;
    else if (block.type === "tool_use" && "id" in block)
      toolCalls.push({ id: block.id, type: "function", function: { name: block.name, arguments: JSON.stringify(block.input ?? {}) } });
  }
  return {
    content: text || toolCalls.length === 0 ? text : null,
    ...(toolCalls.length ? { tool_calls: toolCalls } : {}),
    finish_reason: stopReason(parsed.stop_reason),
    usage: withCacheReads(parsed.usage.input_tokens, parsed.usage.output_tokens, parsed.usage.cache_read_input_tokens),
  };
}

const eventSchema = z.object({
  type: z.string(),
  index: z.number().optional(),
  message: z
    .object({
      usage: z
        .object({
          input_tokens: tokenCountSchema.optional(),
          output_tokens: tokenCountSchema.optional(),
          cache_read_input_tokens: tokenCountSchema.nullish(),
        })
        .optional(),
    })
    .optional(),
  content_block: z
    .object({ type: z.string(), id: z.string().optional(), name: z.string().optional(), text: z.string().optional() })
    .optional(),
  delta: z
    .object({
      type: z.string().optional(),
      text: z.string().optional(),
      partial_json: z.string().optional(),
      stop_reason: z.string().nullish(),
    })
    .optional(),
  usage: z.object({ output_tokens: tokenCountSchema.optional(), input_tokens: tokenCountSchema.nullish() }).optional(),
  error: z.object({ type: z.string().optional(), message: z.string().optional() }).optional(),
});

/** The Anthropic Messages API, translated both ways (tools, images, streaming events). */
export function anthropicProvider(name: string, config: AnthropicConfig, env: NodeJS.ProcessEnv = process.env): Provider {
  const agent: Dispatcher = keepAliveAgent();
  const url = `${config.base_url.replace(/\/+$/, "")}/messages`;

  function headers(): Record<string, string> {
    const out: Record<string, string> = { "anthropic-version": config.api_version };
    if (config.api_key_env) {
      const key = env[config.api_key_env];
      if (!key) throw new UpstreamError(`${name}: the environment variable ${config.api_key_env} (api_key_env) is not set`, "protocol");
      out["x-api-key"] = key;
    }
    return out;
  }

  return {
    name,
    type: "anthropic",
    async complete(request: ChatRequest, options: CallOptions): Promise<CompleteResult> {
      const response = await postJson({
        agent,
        url,
        headers: headers(),
        body: toAnthropic(request, false),
        signal: options.signal,
        providerName: name,
      });
      options.onFirstToken();
      const raw = await readText(response.body, options.signal, name);
      try {
        return { ...fromAnthropic(JSON.parse(raw)), raw };
      } catch (error) {
        throw new UpstreamError(
          `${name}: unexpected response body (${error instanceof Error ? error.message.slice(0, 200) : "invalid"})`,
          "protocol",
          undefined,
          undefined,
          raw.slice(0, 2000),
        );
      }
    },
    async *stream(request: ChatRequest, options: CallOptions): AsyncGenerator<ChatDelta, void, undefined> {
      const response = await postJson({
        agent,
        url,
        headers: headers(),
        body: toAnthropic(request, true),
        signal: options.signal,
        providerName: name,
      });
      const usage: Usage = { input_tokens: 0, output_tokens: 0 };
      const toolIndex = new Map<number, number>();
      let finish: FinishReason | undefined;
      let stopped = false;
      try {
        for await (const { data } of sseData(response.body, options.signal, name)) {
          let event: z.infer<typeof eventSchema>;
          try {
            event = eventSchema.parse(JSON.parse(data));
          } catch {
            throw new UpstreamError(`${name}: unreadable stream event: ${data.slice(0, 200)}`, "protocol");
          }
          switch (event.type) {
            case "message_start":
              Object.assign(
                usage,
                withCacheReads(
                  event.message?.usage?.input_tokens ?? 0,
                  event.message?.usage?.output_tokens ?? 0,
                  event.message?.usage?.cache_read_input_tokens,
                ),
              );
              break;
            case "content_block_start":
              if (event.content_block?.type === "tool_use" && event.index !== undefined) {
                const index = toolIndex.size;
                toolIndex.set(event.index, index);
                options.onFirstToken();
                yield {
                  tool_calls: [
                    {
                      index,
                      id: event.content_block.id ?? "",
                      type: "function",
                      function: { name: event.content_block.name ?? "", arguments: "" },
                    },
                  ],
                };
              } else if (event.content_block?.text) {
                options.onFirstToken();
                yield { content: event.content_block.text };
              }
              break;
            case "content_block_delta":
              if (event.delta?.type === "text_delta" && event.delta.text) {
                options.onFirstToken();
                yield { content: event.delta.text };
              } else if (event.delta?.type === "input_json_delta" && event.index !== undefined && event.delta.partial_json) {
                yield { tool_calls: [{ index: toolIndex.get(event.index) ?? 0, function: { arguments: event.delta.partial_json } }] };
              }
              break;
            case "message_delta":
              if (event.delta?.stop_reason) finish = stopReason(event.delta.stop_reason);
              if (event.usage?.output_tokens !== undefined) usage.output_tokens = event.usage.output_tokens;
              if (event.usage?.input_tokens != null) usage.input_tokens = event.usage.input_tokens;
              break;
            case "message_stop":
              stopped = true;
              break;
            case "error":
              throw new UpstreamError(
                `${name}: ${event.error?.message ?? "stream error"}`,
                "http",
                event.error?.type === "overloaded_error" ? 529 : 500,
              );
            default:
              break; // ping, content_block_stop
          }
          if (stopped) break;
        }
      } finally {
        if (!stopped) response.body.destroy();
      }
      if (!stopped) throw new UpstreamError(`${name}: the stream ended before message_stop`, "network");
      options.onFirstToken();
      yield { finish_reason: finish ?? "stop", usage };
    },
    close: () => agent.close(),
  };
}

/** Anthropic counts cache reads apart from input_tokens; the gateway counts them in, as cached input. */
function withCacheReads(input: number, output: number, cacheReads: number | null | undefined): Usage {
  return cacheReads
    ? { input_tokens: input + cacheReads, output_tokens: output, cached_input_tokens: cacheReads }
    : { input_tokens: input, output_tokens: output };
}
