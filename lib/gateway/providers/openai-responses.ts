import type { Dispatcher } from "undici";
import { z } from "zod";
import { tokenCountSchema, type ChatDelta, type ChatResult, type FinishReason, type ToolCall } from "../chat";
import { postJson, readText, sseData } from "./http";
import { UpstreamError, type CallOptions, type CompleteResult, type Provider } from "./types";

/**
 * OpenAI's Responses API spoken natively (`api = "responses"` on an openai-type provider): the
 * body goes to `{base_url}/responses` as built by responses/native.ts, and the answer comes back
 * as the upstream sent it (the Response, or its typed events) plus its chat reading for the log:
 * the output_text parts joined, function_call items as tool calls, tokens, finish reason.
 */

const usageSchema = z
  .object({
    input_tokens: tokenCountSchema.optional(),
    output_tokens: tokenCountSchema.optional(),
    input_tokens_details: z.object({ cached_tokens: tokenCountSchema.nullish() }).nullish(),
  })
  .nullish();
const partSchema = z.object({ type: z.string(), text: z.string().nullish(), logprobs: z.array(z.unknown()).nullish() }).loose();
const itemSchema = z
  .object({
    type: z.string(),
    content: z.array(partSchema).nullish(),
    call_id: z.string().nullish(),
    name: z.string().nullish(),
    arguments: z.string().nullish(),
  })
  .loose();
const responseSchema = z
  .object({
    status: z.string().nullish(),
    output: z.array(itemSchema).nullish(),
    usage: usageSchema,
    incomplete_details: z.object({ reason: z.string().nullish() }).loose().nullish(),
    error: z.object({ message: z.string().nullish() }).loose().nullish(),
  })
  .loose();

/** A Response read in the chat shape: text, tool calls, finish reason, logprobs and tokens. */
export function readResponse(value: unknown, providerName: string): ChatResult {
  const parsed = responseSchema.safeParse(value);
  if (!parsed.success) throw new UpstreamError(`${providerName}: unexpected Response body`, "protocol");
  const response = parsed.data;
  if (response.status === "failed")
    throw new UpstreamError(`${providerName}: the response failed: ${response.error?.message ?? "no reason given"}`, "protocol");
  const texts: string[] = [];
  const logprobs: unknown[] = [];
  const calls: ToolCall[] = [];
  for (const item of response.output ?? []) {
    if (item.type === "message")
      for (const part of item.content ?? []) {
        if (part.type === "output_text") texts.push(part.text ?? "");
        else if (part.type === "refusal" && typeof part.refusal === "string") texts.push(part.refusal);
        logprobs.push(...(part.logprobs ?? []));
      }
    if (item.type === "function_call")
      calls.push({ id: item.call_id ?? "", type: "function", function: { name: item.name ?? "", arguments: item.arguments ?? "" } });
  }
  const reason = response.incomplete_details?.reason;
  const finish: FinishReason =
    response.status === "incomplete"
      ? reason === "content_filter"
        ? "content_filter"
        : "length"
      : calls.length > 0
        ? "tool_calls"
        : "stop";
  const usage = response.usage;
  return {
    content: texts.length > 0 || calls.length === 0 ? texts.join("") : null,
    ...(calls.length ? { tool_calls: calls } : {}),
    finish_reason: finish,
    ...(logprobs.length ? { logprobs: { content: logprobs } } : {}),
    usage: {
      input_tokens: usage?.input_tokens ?? 0,
      output_tokens: usage?.output_tokens ?? 0,
      ...(usage?.input_tokens_details?.cached_tokens ? { cached_input_tokens: usage.input_tokens_details.cached_tokens } : {}),
    },
  };
}

const eventSchema = z
  .object({
    type: z.string(),
    delta: z.string().nullish(),
    output_index: z.number().int().min(0).nullish(),
    logprobs: z.array(z.unknown()).nullish(),
    item: itemSchema.nullish(),
    response: z.unknown().optional(),
    message: z.string().nullish(),
  })
  .loose();

/** One typed event as a chat delta (with the event itself); `final` when it ends the response. */
export function eventDelta(data: string, providerName: string): { delta: ChatDelta; final: boolean } {
  let event: z.infer<typeof eventSchema>;
  try {
    event = eventSchema.parse(JSON.parse(data));
  } catch {
    throw new UpstreamError(`${providerName}: unreadable stream event: ${data.slice(0, 200)}`, "protocol");
  }
  const raw = event as Record<string, unknown>;
  const index = event.output_index ?? 0;
  switch (event.type) {
    case "response.output_text.delta":
      return {
        delta: { content: event.delta ?? "", ...(event.logprobs?.length ? { logprobs: { content: event.logprobs } } : {}), event: raw },
        final: false,
      };
    case "response.output_item.added":
      if (event.item?.type !== "function_call") break;
      return {
        delta: {
          tool_calls: [{ index, id: event.item.call_id ?? undefined, type: "function", function: { name: event.item.name ?? "" } }],
          event: raw,
        },
        final: false,
      };
    case "response.function_call_arguments.delta":
      return { delta: { tool_calls: [{ index, function: { arguments: event.delta ?? "" } }], event: raw }, final: false };
    case "response.completed":
    case "response.incomplete":
    case "response.failed": {
      const result = readResponse(event.response, providerName);
      return { delta: { finish_reason: result.finish_reason, usage: result.usage, event: raw }, final: true };
    }
    case "error":
      throw new UpstreamError(`${providerName}: the stream reported an error: ${event.message ?? "no message"}`, "protocol");
  }
  return { delta: { event: raw }, final: false };
}

export function openaiResponses(args: {
  agent: Dispatcher;
  baseUrl: string;
  headers: () => Record<string, string>;
  name: string;
}): NonNullable<Provider["responses"]> {
  const url = `${args.baseUrl}/responses`;
  const post = (body: Record<string, unknown>, stream: boolean, options: CallOptions) =>
    postJson({
      agent: args.agent,
      url,
      headers: args.headers(),
      body: { ...body, stream },
      signal: options.signal,
      providerName: args.name,
    });
  return {
    async complete(body, options): Promise<CompleteResult> {
      const response = await post(body, false, options);
      options.onFirstToken();
      const raw = await readText(response.body, options.signal, args.name);
      let native: Record<string, unknown>;
      try {
        native = z.record(z.string(), z.unknown()).parse(JSON.parse(raw));
      } catch {
        throw new UpstreamError(`${args.name}: unexpected response body`, "protocol", undefined, undefined, raw.slice(0, 2000));
      }
      return { ...readResponse(native, args.name), raw, native };
    },
    async *stream(body, options): AsyncGenerator<ChatDelta, void, undefined> {
      const response = await post(body, true, options);
      let done = false;
      let heldOut = false;
      // response.created / .in_progress come at once: held back until the first real piece, so the
      // first token is that piece and a failure before it can still be retried or fall back.
      const held: ChatDelta[] = [];
      try {
        for await (const { data } of sseData(response.body, options.signal, args.name)) {
          // Whatever follows the final event is read and dropped, so the connection can be reused.
          if (done || data === "[DONE]") continue;
          const { delta, final } = eventDelta(data, args.name);
          done = final;
          const type = delta.event?.type;
          if (!heldOut && (type === "response.created" || type === "response.in_progress")) {
            held.push(delta);
            continue;
          }
          heldOut = true;
          options.onFirstToken();
          yield* held.splice(0);
          yield delta;
        }
      } finally {
        if (!done) response.body.destroy();
      }
      if (!done) throw new UpstreamError(`${args.name}: the stream ended before response.completed`, "network");
    },
  };
}
