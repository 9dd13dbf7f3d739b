import type { Dispatcher } from "undici";
import { z } from "zod";
import {
  tokenCountSchema,
  type ChatDelta,
  type ChatRequest,
  type ChoiceOutput,
  type FinishReason,
  type ToolCall,
  type Usage,
} from "../chat";
import type { ProviderConfig } from "../config";
import { openaiEmbed } from "./embeddings";
import { keepAliveAgent, postJson, readText, sseData } from "./http";
import { openaiResponses } from "./openai-responses";
import { UpstreamError, type CallOptions, type CompleteResult, type Provider } from "./types";

type OpenAIConfig = Extract<ProviderConfig, { type: "openai" }>;

const finishReason = (value: unknown): FinishReason =>
  value === "length" || value === "tool_calls" || value === "content_filter" ? value : value === "function_call" ? "tool_calls" : "stop";

const usageSchema = z
  .object({
    prompt_tokens: tokenCountSchema.optional(),
    completion_tokens: tokenCountSchema.optional(),
    prompt_tokens_details: z.object({ cached_tokens: tokenCountSchema.nullish() }).nullish(),
  })
  .nullish();
const logprobsSchema = z.object({ content: z.array(z.unknown()).nullish(), refusal: z.array(z.unknown()).nullish() }).nullish();
const completionSchema = z.object({
  choices: z
    .array(
      z.object({
        message: z.object({
          content: z.string().nullish(),
          tool_calls: z
            .array(
              z.object({
                id: z.string(),
                type: z.literal("function").default("function"),
                function: z.object({ name: z.string(), arguments: z.string() }),
              }),
            )
            .nullish(),
        }),
        finish_reason: z.string().nullish(),
        logprobs: logprobsSchema,
        index: z.number().int().min(0).optional(),
      }),
    )
    .min(1),
  usage: usageSchema,
});
const chunkSchema = z.object({
  choices: z
    .array(
      z.object({
        index: z.number().int().min(0).max(127).default(0),
        delta: z
          .object({
            content: z.string().nullish(),
            tool_calls: z
              .array(
                z.object({
                  index: z.number(),
                  id: z.string().nullish(),
                  type: z.literal("function").nullish(),
                  function: z.object({ name: z.string().nullish(), arguments: z.string().nullish() }).nullish(),
                }),
              )
              .nullish(),
          })
          .nullish(),
        finish_reason: z.string().nullish(),
        logprobs: logprobsSchema,
      }),
    )
    .default([]),
  usage: usageSchema,
});

const toUsage = (u: z.infer<typeof usageSchema>): Usage | undefined =>
  u && (u.prompt_tokens !== undefined || u.completion_tokens !== undefined)
    ? {
        input_tokens: u.prompt_tokens ?? 0,
        output_tokens: u.completion_tokens ?? 0,
        ...(u.prompt_tokens_details?.cached_tokens ? { cached_input_tokens: u.prompt_tokens_details.cached_tokens } : {}),
      }
    : undefined;

type Choice = z.infer<typeof completionSchema>["choices"][number];

function choiceOutput(choice: Choice): ChoiceOutput {
  const toolCalls: ToolCall[] | undefined = choice.message.tool_calls?.length ? choice.message.tool_calls : undefined;
  return {
    content: choice.message.content ?? null,
    ...(toolCalls ? { tool_calls: toolCalls } : {}),
    finish_reason: finishReason(choice.finish_reason),
    ...(choice.logprobs ? { logprobs: { content: choice.logprobs.content ?? null, refusal: choice.logprobs.refusal ?? null } } : {}),
  };
}

/** The request body an OpenAI-compatible server gets (unset parameters left out). */
export function openaiBody(request: ChatRequest, stream: boolean): Record<string, unknown> {
  const body: Record<string, unknown> = { ...request, stream };
  if (stream) body.stream_options = { include_usage: true };
  return Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined));
}

/**
 * Any OpenAI-compatible chat completions server (OpenAI, vLLM, Ollama, LocalAI…) over undici with
 * keep-alive. Streams are read as SSE; a stream that ends without `[DONE]` or a finish reason is a
 * broken stream (an error, not a short answer).
 */
export function openaiProvider(name: string, config: OpenAIConfig, env: NodeJS.ProcessEnv = process.env): Provider {
  const agent: Dispatcher = keepAliveAgent();
  const url = `${config.base_url.replace(/\/+$/, "")}/chat/completions`;

  function headers(): Record<string, string> {
    if (!config.api_key_env) return {};
    const key = env[config.api_key_env];
    if (!key) throw new UpstreamError(`${name}: the environment variable ${config.api_key_env} (api_key_env) is not set`, "protocol");
    return { authorization: `Bearer ${key}` };
  }

  return {
    name,
    type: "openai",
    async complete(request, options: CallOptions): Promise<CompleteResult> {
      const response = await postJson({
        agent,
        url,
        headers: headers(),
        body: openaiBody(request, false),
        signal: options.signal,
        providerName: name,
      });
      options.onFirstToken();
      const raw = await readText(response.body, options.signal, name);
      let parsed: z.infer<typeof completionSchema>;
      try {
        parsed = completionSchema.parse(JSON.parse(raw));
      } catch (error) {
        throw new UpstreamError(
          `${name}: unexpected response body (${error instanceof Error ? error.message.slice(0, 200) : "invalid"})`,
          "protocol",
          undefined,
          undefined,
          raw.slice(0, 2000),
        );
      }
      // With n > 1 every choice is kept, in index order; the first is also the answer's own fields.
      const choices = [...parsed.choices].sort((a, b) => (a.index ?? 0) - (b.index ?? 0)).map(choiceOutput);
      return {
        ...choices[0]!,
        ...(choices.length > 1 ? { choices } : {}),
        usage: toUsage(parsed.usage) ?? { input_tokens: 0, output_tokens: 0 },
        raw,
      };
    },
    async *stream(request, options: CallOptions): AsyncGenerator<ChatDelta, void, undefined> {
      const response = await postJson({
        agent,
        url,
        headers: headers(),
        body: openaiBody(request, true),
        signal: options.signal,
        providerName: name,
      });
      let finish: FinishReason | undefined;
      let usage: Usage | undefined;
      let done = false;
      try {
        for await (const { data } of sseData(response.body, options.signal, name)) {
          if (data === "[DONE]") {
            done = true;
            break;
          }
          let chunk: z.infer<typeof chunkSchema>;
          try {
            chunk = chunkSchema.parse(JSON.parse(data));
          } catch {
            throw new UpstreamError(`${name}: unreadable stream chunk: ${data.slice(0, 200)}`, "protocol");
          }
          usage = toUsage(chunk.usage) ?? usage;
          for (const choice of chunk.choices) {
            // Choice 0's finish ends the stream (below); another choice's finishes it alone (n > 1).
            if (choice.finish_reason && choice.index === 0) finish = finishReason(choice.finish_reason);
            const delta: ChatDelta = choice.index ? { index: choice.index } : {};
            if (choice.finish_reason && choice.index) delta.finish_reason = finishReason(choice.finish_reason);
            if (choice.delta?.content) delta.content = choice.delta.content;
            if (choice.logprobs?.content?.length) delta.logprobs = { content: choice.logprobs.content };
            if (choice.delta?.tool_calls?.length) {
              delta.tool_calls = choice.delta.tool_calls.map((t) => ({
                index: t.index,
                ...(t.id ? { id: t.id } : {}),
                ...(t.type ? { type: t.type } : {}),
                ...(t.function
                  ? {
                      function: {
                        ...(t.function.name ? { name: t.function.name } : {}),
                        ...(t.function.arguments ? { arguments: t.function.arguments } : {}),
                      },
                    }
                  : {}),
              }));
            }
            if (delta.content !== undefined || delta.tool_calls || delta.logprobs || delta.finish_reason) {
              options.onFirstToken();
              yield delta;
            }
          }
        }
      } finally {
        if (!done) response.body.destroy();
      }
      if (!done && !finish) throw new UpstreamError(`${name}: the stream ended before it finished (no [DONE])`, "network");
      options.onFirstToken();
      yield { finish_reason: finish ?? "stop", ...(usage ? { usage } : {}) };
    },
    responses:
      config.api === "responses" ? openaiResponses({ agent, baseUrl: config.base_url.replace(/\/+$/, ""), headers, name }) : undefined,
    embed: (request, options) =>
      openaiEmbed({ agent, url: `${config.base_url.replace(/\/+$/, "")}/embeddings`, headers, name }, request, options),
    close: () => agent.close(),
  };
}
