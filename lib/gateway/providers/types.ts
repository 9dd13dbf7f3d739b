import type { ChatDelta, ChatRequest, ChatResult } from "../chat";

/**
 * A provider speaks to one upstream API. It translates the gateway's chat format (OpenAI's) to
 * the upstream's and back, and reports every failure as an UpstreamError so the caller can decide
 * to retry, fall back, or answer the client. Timeouts are the caller's: it aborts `signal` and
 * providers only call `onFirstToken` when the first byte (or streamed piece) arrives.
 */
export interface CallOptions {
  signal: AbortSignal;
  clock: Clock;
  /** Called once when the upstream starts answering (headers, or the first streamed piece). */
  onFirstToken(): void;
}

export interface CompleteResult extends ChatResult {
  /** The upstream body, as received (logged, possibly truncated). */
  raw: string;
  /** The upstream's own Response object, when the Responses API was called natively. */
  native?: Record<string, unknown>;
}

/** An embeddings call: each input item is text or token ids. */
export interface EmbedRequest {
  model: string;
  input: (string | number[])[];
  dimensions?: number;
  user?: string;
}

export interface EmbedResult {
  /** One vector per input item, in order. */
  vectors: number[][];
  input_tokens: number;
  /** The upstream body (vectors elided), logged. */
  raw: string;
}

export interface Provider {
  readonly name: string;
  readonly type: "openai" | "anthropic" | "dummy";
  complete(request: ChatRequest, options: CallOptions): Promise<CompleteResult>;
  /** Yields deltas; the last one carries `finish_reason` and, when known, `usage`. */
  stream(request: ChatRequest, options: CallOptions): AsyncGenerator<ChatDelta, void, undefined>;
  /** Embeddings (lib/gateway/embeddings.server.ts); absent where the upstream has none (Anthropic). */
  embed?(request: EmbedRequest, options: CallOptions): Promise<EmbedResult>;
  /**
   * OpenAI's Responses API spoken natively (`api = "responses"`): `body` is a Responses request;
   * the answer is read into the chat shape too (for the log), with the upstream's Response in
   * `native` and each streamed piece's event in `event`.
   */
  responses?: {
    complete(body: Record<string, unknown>, options: CallOptions): Promise<CompleteResult>;
    stream(body: Record<string, unknown>, options: CallOptions): AsyncGenerator<ChatDelta, void, undefined>;
  };
  close?(): Promise<void>;
}

export type UpstreamErrorKind = "http" | "network" | "timeout" | "ttft_timeout" | "aborted" | "protocol";

export class UpstreamError extends Error {
  override name = "UpstreamError";
  constructor(
    message: string,
    readonly kind: UpstreamErrorKind,
    readonly status?: number,
    readonly retryAfterMs?: number,
    readonly body?: string,
  ) {
    super(message);
  }

  /** Worth another try on the same provider: rate limits, server errors, network failures, timeouts. */
  get retryable(): boolean {
    if (this.kind === "http") return this.status === 408 || this.status === 409 || this.status === 429 || (this.status ?? 0) >= 500;
    return this.kind !== "aborted" && this.kind !== "protocol";
  }
}

/** Time as the gateway sees it; the demo drives a virtual one so its traffic spans days. */
export interface Clock {
  /** Milliseconds since the epoch (fractional). */
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const realClock: Clock = {
  now: () => performance.timeOrigin + performance.now(),
  sleep: (ms, signal) =>
    new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const timer = setTimeout(() => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      signal?.addEventListener("abort", onAbort, { once: true });
    }),
};

/** A clock that only moves when slept on: instant, deterministic time for simulations. */
export function virtualClock(start: number): Clock {
  let t = start;
  return {
    now: () => t,
    sleep: async (ms) => {
      t += ms;
    },
  };
}

/** Maps an abort of the attempt's signal to the UpstreamError its reason stands for. */
export function abortError(signal: AbortSignal): UpstreamError {
  const reason: unknown = signal.reason;
  if (reason instanceof UpstreamError) return reason;
  return new UpstreamError("the request was cancelled", "aborted");
}
