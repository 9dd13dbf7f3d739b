import { contentText, estimateTokens, type ChatDelta, type ChatRequest, type ChatResult, type ChoiceOutput } from "../chat";
import type { ProviderConfig } from "../config";
import { renderTemplate } from "../templates";
import { dummyVector, itemTokens } from "./embeddings";
import { UpstreamError, type CallOptions, type CompleteResult, type Provider } from "./types";

type DummyConfig = Extract<ProviderConfig, { type: "dummy" }>;

/**
 * A provider without network: answers from a template over the request (default: an echo of the
 * last user message), counts tokens as ~4 characters each, waits `latency_ms` on the caller's
 * clock (virtual in the demo, so seeding is instant) plus `ms_per_output_token`, spread by
 * `latency_jitter` (log-normal), and fails with a 503 at `failure_rate`.
 * Tools: when tools are offered and the last message is the user's, it calls the chosen (or
 * first) tool with `{"input": <last user text>}`. `response_format` json gets a JSON object.
 */
export function dummyProvider(name: string, config: DummyConfig, random: () => number = Math.random): Provider {
  function answer(request: ChatRequest): ChatResult {
    const lastUser = [...request.messages].reverse().find((m) => m.role === "user");
    const lastText = lastUser ? contentText(lastUser.content) : "";
    const inputTokens = request.messages.reduce((sum, m) => sum + estimateTokens(contentText(m.content ?? "")) + 3, 0);
    const last = request.messages[request.messages.length - 1];
    const choice = request.tool_choice;
    const tools = request.tools ?? [];
    if (tools.length > 0 && choice !== "none" && last?.role === "user") {
      const toolName = typeof choice === "object" ? choice.function.name : (tools[0]?.function.name ?? "tool");
      const args = JSON.stringify({ input: lastText });
      return {
        content: null,
        tool_calls: [
          {
            id: `call_${Math.abs(hash(lastText + toolName)).toString(36)}`,
            type: "function",
            function: { name: toolName, arguments: args },
          },
        ],
        finish_reason: "tool_calls",
        usage: { input_tokens: inputTokens, output_tokens: estimateTokens(args) + 5 },
      };
    }
    let reply =
      config.reply !== undefined
        ? renderTemplate(config.reply, { last_user: lastText, model: request.model }, { strict: false })
        : lastText
          ? `Echo: ${lastText}`
          : "Hello from the dummy provider.";
    if (request.response_format && request.response_format.type !== "text") reply = JSON.stringify({ answer: reply });
    let finish: ChatResult["finish_reason"] = "stop";
    const maxTokens = request.max_completion_tokens ?? request.max_tokens;
    if (maxTokens && estimateTokens(reply) > maxTokens) {
      reply = reply.slice(0, maxTokens * 4);
      finish = "length";
    }
    return { content: reply, finish_reason: finish, usage: { input_tokens: inputTokens, output_tokens: estimateTokens(reply) } };
  }

  /** With `n` > 1: n choices, the first as for one, each other marked `(choice i)`; tokens summed. */
  function answerAll(request: ChatRequest): ChatResult {
    const first = answer(request);
    const n = typeof request.n === "number" ? Math.min(128, Math.max(1, Math.floor(request.n))) : 1;
    if (n === 1) return first;
    const { usage, ...own } = first;
    const others: ChoiceOutput[] = Array.from({ length: n - 1 }, (_, k) =>
      own.content === null ? own : { ...own, content: `${own.content} (choice ${k + 1})` },
    );
    const outputTokens = others.reduce(
      (sum, c) => sum + (c.content === null ? usage.output_tokens : estimateTokens(c.content)),
      usage.output_tokens,
    );
    return { ...own, choices: [own, ...others], usage: { ...usage, output_tokens: outputTokens } };
  }

  /** exp(jitter × N(0,1)) by Box-Muller; 1 without jitter. */
  function spread(): number {
    if (config.latency_jitter === 0) return 1;
    const u = Math.max(random(), 1e-12);
    return Math.exp(config.latency_jitter * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random()));
  }

  /** Time left after the first token: the configured latency plus the per-token time. */
  const restMs = (result: ChatResult, factor: number) =>
    Math.max(0, (config.latency_ms - config.ttft_ms + config.ms_per_output_token * result.usage.output_tokens) * factor);

  async function begin(options: CallOptions, factor: number): Promise<void> {
    await options.clock.sleep(config.ttft_ms * factor, options.signal);
    if (config.failure_rate > 0 && random() < config.failure_rate) {
      throw new UpstreamError("dummy provider: simulated failure (failure_rate)", "http", 503);
    }
    options.onFirstToken();
  }

  return {
    name,
    type: "dummy",
    async embed(request, options) {
      const factor = spread();
      await begin(options, factor);
      await options.clock.sleep(Math.max(0, config.latency_ms - config.ttft_ms) * factor, options.signal);
      const vectors = request.input.map((item) => dummyVector(request.model, item, request.dimensions));
      const inputTokens = request.input.reduce((s, item) => s + itemTokens(item), 0);
      return { vectors, input_tokens: inputTokens, raw: JSON.stringify({ embeddings: vectors.length, input_tokens: inputTokens }) };
    },
    async complete(request, options): Promise<CompleteResult> {
      const factor = spread();
      await begin(options, factor);
      const result = answerAll(request);
      await options.clock.sleep(restMs(result, factor), options.signal);
      return { ...result, raw: JSON.stringify(result) };
    },
    async *stream(request, options): AsyncGenerator<ChatDelta, void, undefined> {
      const factor = spread();
      await begin(options, factor);
      const result = answerAll(request);
      for (const [index, choice] of (result.choices ?? []).entries()) {
        if (index === 0) continue;
        if (choice.content !== null) yield { index, content: choice.content };
        for (const [i, call] of (choice.tool_calls ?? []).entries()) yield { index, tool_calls: [{ index: i, ...call }] };
        yield { index, finish_reason: choice.finish_reason };
      }
      if (result.tool_calls) {
        for (const [index, call] of result.tool_calls.entries()) yield { tool_calls: [{ index, ...call }] };
      } else {
        const pieces = (result.content ?? "").match(/\S+\s*|\s+/g) ?? [""];
        for (const [i, piece] of pieces.entries()) {
          if (i === pieces.length - 1) await options.clock.sleep(restMs(result, factor), options.signal);
          yield { content: piece };
        }
      }
      yield { finish_reason: result.finish_reason, usage: result.usage };
    },
  };
}

/** 32-bit FNV-1a, for stable ids. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h | 0;
}
