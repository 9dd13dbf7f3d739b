import "server-only";
import { uuidAt } from "./ids";
import { toClickHouseTime, type ModelCallRow } from "@/lib/inference/tables";
import type { ChatDelta, ChatRequest, Usage } from "./chat";
import type { ModelConfig, ProviderConfig } from "./config";
import { costAt } from "./pricing";
import { UpstreamError, type Clock, type CompleteResult, type Provider } from "./providers/types";

/**
 * One call to one provider, with its total and time-to-first-token timeouts, the client's abort,
 * and the model_calls row it produces (every attempt is logged, failed ones included).
 */

/** Longest text kept in a model_calls row's request/response columns. */
export const MAX_LOGGED_CHARS = 64 * 1024;
const clip = (text: string) => (text.length > MAX_LOGGED_CHARS ? `${text.slice(0, MAX_LOGGED_CHARS)}…[truncated]` : text);

export interface AttemptContext {
  inferenceId: string;
  functionName: string;
  variantName: string;
  modelName: string;
  model: ModelConfig;
  provider: Provider;
  providerConfig: ProviderConfig;
  request: ChatRequest;
  /** A Responses API body for a provider that speaks it natively (responses/native.ts); else the chat request is sent. */
  native?: Record<string, unknown>;
  attempt: number;
  clock: Clock;
  /** The client's signal: a disconnect aborts the upstream call. */
  signal: AbortSignal;
}

export const costOf = (model: ModelConfig, usage: Usage) => costAt(model.price, usage);

/**
 * Abort plumbing shared by complete and stream attempts: one timer, first armed for the first
 * token, then re-armed for the rest of the total timeout; the client's abort is forwarded.
 */
class AttemptTimers {
  readonly controller = new AbortController();
  readonly started: number;
  ttftMs: number | null = null;
  private timer: NodeJS.Timeout;
  private detach: () => void;

  constructor(private readonly ctx: AttemptContext) {
    this.started = ctx.clock.now();
    const { timeout_ms, ttft_timeout_ms } = ctx.providerConfig;
    this.timer =
      ttft_timeout_ms < timeout_ms
        ? setTimeout(
            () => this.abort(new UpstreamError(`${ctx.provider.name}: no first token within ${ttft_timeout_ms} ms`, "ttft_timeout")),
            ttft_timeout_ms,
          )
        : setTimeout(() => this.abort(this.totalError()), timeout_ms);
    const onClientAbort = () => this.abort(new UpstreamError("the client closed the connection", "aborted"));
    if (ctx.signal.aborted) onClientAbort();
    ctx.signal.addEventListener("abort", onClientAbort, { once: true });
    this.detach = () => ctx.signal.removeEventListener("abort", onClientAbort);
  }

  private abort(error: UpstreamError): void {
    this.controller.abort(error);
  }

  private totalError(): UpstreamError {
    return new UpstreamError(`${this.ctx.provider.name}: no complete answer within ${this.ctx.providerConfig.timeout_ms} ms`, "timeout");
  }

  firstToken = () => {
    if (this.ttftMs !== null) return;
    this.ttftMs = Math.round(this.ctx.clock.now() - this.started);
    clearTimeout(this.timer);
    const left = Math.max(0, this.ctx.providerConfig.timeout_ms - (performance.now() - this.startedReal));
    this.timer = setTimeout(() => this.abort(this.totalError()), left);
  };

  private readonly startedReal = performance.now();

  elapsed = () => Math.max(0, Math.round(this.ctx.clock.now() - this.started));

  done(): void {
    clearTimeout(this.timer);
    this.detach();
  }
}

/** Normalises anything a provider throws (or an abort) into an UpstreamError. */
export function asUpstreamError(error: unknown, signal: AbortSignal): UpstreamError {
  if (signal.aborted && signal.reason instanceof UpstreamError) return signal.reason;
  if (error instanceof UpstreamError) return error;
  return new UpstreamError(error instanceof Error ? error.message : String(error), "network");
}

function callRow(ctx: AttemptContext, timers: AttemptTimers, fields: Partial<ModelCallRow>): ModelCallRow {
  return {
    id: uuidAt(timers.started),
    inference_id: ctx.inferenceId,
    attempt: ctx.attempt,
    function_name: ctx.functionName,
    variant_name: ctx.variantName,
    model_name: ctx.modelName,
    provider_name: ctx.provider.name,
    request: clip(JSON.stringify(ctx.native ?? ctx.request)),
    response: "",
    input_tokens: 0,
    output_tokens: 0,
    cost: 0,
    latency_ms: timers.elapsed(),
    ttft_ms: timers.ttftMs,
    status: "ok",
    error: "",
    timestamp: toClickHouseTime(new Date(timers.started)),
    ...fields,
  };
}

export type AttemptOutcome<T> =
  | { ok: true; value: T; row: ModelCallRow; ttftMs: number | null; startedAt: number }
  | { ok: false; error: UpstreamError; row: ModelCallRow };

export async function completeAttempt(ctx: AttemptContext): Promise<AttemptOutcome<CompleteResult>> {
  const timers = new AttemptTimers(ctx);
  const signal = timers.controller.signal;
  try {
    const options = { signal, clock: ctx.clock, onFirstToken: timers.firstToken };
    const native = ctx.native && ctx.provider.responses;
    const result = native ? await native.complete(ctx.native!, options) : await ctx.provider.complete(ctx.request, options);
    timers.firstToken();
    const row = callRow(ctx, timers, {
      response: clip(result.raw),
      input_tokens: result.usage.input_tokens,
      output_tokens: result.usage.output_tokens,
      cost: costOf(ctx.model, result.usage),
    });
    return { ok: true, value: result, row, ttftMs: timers.ttftMs, startedAt: timers.started };
  } catch (thrown) {
    const error = asUpstreamError(thrown, signal);
    return { ok: false, error, row: callRow(ctx, timers, { status: "error", error: error.message, response: clip(error.body ?? "") }) };
  } finally {
    timers.done();
  }
}

/** A stream that has produced its first piece: the caller may now commit to it. */
export interface StartedStream {
  first: ChatDelta;
  rest: AsyncGenerator<ChatDelta, void, undefined>;
  ttftMs: number | null;
  startedAt: number;
  /** Ends the attempt: builds its row from what was streamed, and releases the timers. */
  finish(result: { usage: Usage; response: string; error?: UpstreamError }): ModelCallRow;
  /** The attempt's own signal (aborted on timeout or client disconnect). */
  signal: AbortSignal;
}

export async function startStreamAttempt(
  ctx: AttemptContext,
): Promise<{ ok: true; stream: StartedStream } | { ok: false; error: UpstreamError; row: ModelCallRow }> {
  const timers = new AttemptTimers(ctx);
  const signal = timers.controller.signal;
  const options = { signal, clock: ctx.clock, onFirstToken: timers.firstToken };
  const native = ctx.native && ctx.provider.responses;
  const generator = native ? native.stream(ctx.native!, options) : ctx.provider.stream(ctx.request, options);
  try {
    const first = await generator.next();
    timers.firstToken();
    if (first.done) throw new UpstreamError(`${ctx.provider.name}: the stream ended before any data`, "protocol");
    return {
      ok: true,
      stream: {
        first: first.value,
        rest: generator,
        ttftMs: timers.ttftMs,
        startedAt: timers.started,
        signal,
        finish({ usage, response, error }) {
          timers.done();
          return callRow(ctx, timers, {
            response: clip(response),
            input_tokens: usage.input_tokens,
            output_tokens: usage.output_tokens,
            cost: costOf(ctx.model, usage),
            ...(error ? { status: "error" as const, error: error.message } : {}),
          });
        },
      },
    };
  } catch (thrown) {
    const error = asUpstreamError(thrown, signal);
    timers.done();
    await generator.return(undefined).catch(() => undefined);
    return { ok: false, error, row: callRow(ctx, timers, { status: "error", error: error.message, response: clip(error.body ?? "") }) };
  }
}

/** Delay before retry `n` (0-based) on the same provider: Retry-After when given (≤ 5 s), else backoff with jitter. */
export function retryDelay(config: ProviderConfig, n: number, error: UpstreamError, random: () => number): number {
  if (error.retryAfterMs !== undefined) return Math.min(error.retryAfterMs, 5_000);
  const base = config.retry_backoff_ms * 2 ** n;
  return Math.round(base / 2 + random() * base);
}
