import "server-only";
import type { ClickHouseClient } from "@clickhouse/client";
import type { Db } from "@/db/client.server";
import type { Stores } from "@/lib/stores/index.server";
import { AppError } from "@/lib/http/errors";
import { toClickHouseTime, type CacheRow, type InferenceRow, type ModelCallRow } from "@/lib/inference/tables";
import {
  asUpstreamError,
  completeAttempt,
  costOf,
  retryDelay,
  startStreamAttempt,
  type AttemptContext,
  type StartedStream,
} from "./attempts.server";
import { cacheKey, lookupCache } from "./cache.server";
import { cascadesOf, escalate } from "./cascade.server";
import {
  DeltaAccumulator,
  estimateTokens,
  contentText,
  isFinal,
  type ChatDelta,
  type ChatOutput,
  type ChatRequest,
  type Usage,
} from "./chat";
import type { GatewayConfig } from "./config";
import { dropUndefined, planInference, type InferenceInput, type Plan, type PlanDeps } from "./plan.server";
import type { PromptResolver } from "./prompts.server";
import { buildProviders } from "./providers/index.server";
import { realClock, UpstreamError, type Clock, type Provider } from "./providers/types";
import type { Recorder } from "./recorder.server";
import { GuardrailBlocked } from "@/lib/guardrails/guard.server";
import { InferenceGuards } from "@/lib/guardrails/inference.server";
import type { RemoteDeps } from "@/lib/guardrails/remote.server";
import { nativeRequestBody } from "./responses/native";
import type { Budgets } from "@/lib/budgets/budgets.server";

export type { InferenceInput } from "./plan.server";

export interface CallContext {
  signal: AbortSignal;
  clock?: Clock;
  /** The API key's name, for `[budgets]` limits by `api_key` (lib/budgets). */
  apiKey?: string;
}

export interface InferenceMeta {
  inferenceId: string;
  episodeId: string;
  functionName: string;
  variantName: string;
  modelName: string;
  providerName: string;
  promptVersion: string;
  cached: boolean;
}

export interface InferenceResult extends InferenceMeta {
  output: ChatOutput;
  /** Tokens, with `cost` in US dollars (0 for a cache hit). */
  usage: Usage;
  latencyMs: number;
  ttftMs: number | null;
  /** The upstream's own Response, when a Responses request was passed through natively. */
  native?: Record<string, unknown>;
}

export interface StreamingInference extends InferenceMeta {
  /** Every delta, the first included; the last carries finish_reason and usage. Errors mid-stream are thrown. */
  deltas: AsyncGenerator<ChatDelta, void, undefined>;
}

/** What an inference's row records of its outcome. */
interface RecordDone {
  output: ChatOutput;
  usage: Usage;
  status: "ok" | "error";
  error?: string;
  streamed: boolean;
  latencyMs: number;
  ttftMs: number | null;
  cost?: number;
}

export interface GatewayDeps {
  config: GatewayConfig;
  /** The stores it was built on: its front door's request context (caller, audit) uses them too. */
  stores: Stores;
  recorder: Recorder;
  prompts: PromptResolver;
  providers?: Map<string, Provider>;
  random?: () => number;
  allocation?: PlanDeps["allocation"];
  /** Rate limits and spending caps; undefined when the config declares none (lib/budgets). */
  budgets?: Budgets;
}

/**
 * A failed inference: the client gets `error` with `headers` (its inference id; Retry-After from the
 * upstream's last 429/503; `x-should-retry: false` once the gateway spent retries or fallbacks on
 * it, so SDKs do not multiply them), the log gets the rows.
 */
export class InferenceFailed extends AppError {
  headers: Record<string, string> = {};
}

/**
 * The inference path: choose a variant, render its prompt, try its model's providers in order
 * (each with retries and backoff), then the function's other variants; answer from the cache when
 * asked; and hand every inference and model call to the recorder. Routes (OpenAI wire format,
 * native form) and the demo seeder all go through here.
 */
export class Gateway {
  readonly config: GatewayConfig;
  readonly providers: Map<string, Provider>;
  private readonly random: () => number;
  /** Undefined when no guardrail is listed: the request path skips them entirely. */
  private readonly guards: InferenceGuards | undefined;

  constructor(private readonly deps: GatewayDeps) {
    this.config = deps.config;
    this.random = deps.random ?? Math.random;
    this.providers = deps.providers ?? buildProviders(deps.config, this.random);
    this.guards = InferenceGuards.of(deps.config);
  }

  /**
   * The same gateway (stores, recorder, providers) serving another config: evaluation runs use it
   * to try a prompt version or model as an extra, pinned variant without editing llmops.toml.
   */
  withConfig(config: GatewayConfig): Gateway {
    return new Gateway({ ...this.deps, config, providers: this.providers, random: this.random });
  }

  get recorder(): Recorder {
    return this.deps.recorder;
  }

  get db(): Db {
    return this.deps.stores.postgres.db;
  }

  get stores(): Stores {
    return this.deps.stores;
  }

  get clickhouse(): ClickHouseClient {
    return this.deps.stores.clickhouse.client;
  }

  get budgets(): Budgets | undefined {
    return this.deps.budgets;
  }

  async infer(input: InferenceInput, ctx: CallContext): Promise<InferenceResult> {
    const plan = await this.plan(input, ctx.clock ?? realClock);
    await this.admit(plan, ctx);
    if (this.guards) await this.guardInput(plan, ctx);
    const result = await this.complete(plan, ctx);
    // A cache hit spent no provider tokens.
    if (!result.cached) plan.charge?.({ tokens: result.usage.input_tokens + result.usage.output_tokens, cost: result.usage.cost ?? 0 });
    return result;
  }

  /**
   * Counts the request on its budgets before any provider call or guardrail (one round trip when a
   * limit matches; none otherwise); throws BudgetExceeded over a block-mode limit.
   */
  private async admit(plan: Plan, ctx: CallContext): Promise<void> {
    if (!this.deps.budgets || plan.input.dryrun) return;
    const first = plan.candidates.find((c) => c.request) ?? plan.candidates[0];
    plan.charge = await this.deps.budgets.admit({
      apiKey: ctx.apiKey,
      functionName: plan.functionName,
      modelName: first?.modelName ?? "",
      tags: plan.input.tags,
    });
  }

  /** A judge guardrail's call: an inference of this gateway, tagged with the one it guards. */
  private remote(plan: Plan, ctx: CallContext): RemoteDeps {
    return {
      signal: ctx.signal,
      judge: async (target, input, signal) => {
        const name = "function" in target ? { functionName: target.function } : { modelName: target.model };
        const result = await this.infer({ ...name, ...input, tags: { "llmops.guardrail_judge": plan.inferenceId } }, { signal });
        return result.output.content ?? "";
      },
    };
  }

  /** Input guardrails; a block is recorded as a failed inference with no model call. */
  private async guardInput(plan: Plan, ctx: CallContext): Promise<void> {
    try {
      await this.guards!.input(plan, () => this.remote(plan, ctx));
    } catch (error) {
      if (!(error instanceof GuardrailBlocked)) throw error;
      error.headers = { "x-llmops-inference-id": plan.inferenceId };
      const first = plan.candidates[0];
      if (!plan.input.dryrun && this.deps.recorder.enabled && first) {
        const meta = this.meta(plan, { variantName: first.variantName, modelName: first.modelName });
        const latencyMs = Math.round(plan.clock.now() - plan.started);
        const r = {
          ...meta,
          output: { content: null, finish_reason: "stop" as const },
          usage: { input_tokens: 0, output_tokens: 0 },
          latencyMs,
          ttftMs: null,
        };
        const status = { status: "error" as const, error: error.message, streamed: false, cost: 0 };
        this.deps.recorder.recordAll({ inferences: [this.inferenceRow(plan, r, status)] });
      }
      throw error;
    }
  }

  /** Output guardrails on a whole answer; a block records the inference as failed (with the answer) and throws. */
  private async guardOutput(
    plan: Plan,
    attempt: AttemptContext,
    rows: ModelCallRow[],
    done: RecordDone,
    ctx: CallContext,
  ): Promise<ChatOutput> {
    try {
      return await this.guards!.output(plan, attempt.modelName, done.output, () => this.remote(plan, ctx));
    } catch (error) {
      if (!(error instanceof GuardrailBlocked)) throw error;
      error.headers = { "x-llmops-inference-id": plan.inferenceId };
      this.record(plan, attempt, rows, { ...done, status: "error", error: error.message });
      throw error;
    }
  }

  private async complete(plan: Plan, ctx: CallContext): Promise<InferenceResult> {
    const done = await this.completeSteps(plan, ctx, false);
    // Only a call made for a stream (live = true) can come back as one.
    if ("deltas" in done) throw new Error("a buffered inference came back as a stream");
    return done;
  }

  /**
   * A complete answer: the cache, the attempts, and a cascade's steps. With `live` (a stream), a
   * cascade's last step, whose answer is never checked, streams as it comes instead of buffered.
   */
  private async completeSteps(plan: Plan, ctx: CallContext, live: boolean): Promise<InferenceResult | StreamingInference> {
    const cascades = cascadesOf(this.config, plan);
    const hit = await this.fromCache(plan, live, ctx);
    if (hit) return hit;
    const rows: ModelCallRow[] = [];
    const errors: UpstreamError[] = [];
    const run = async (attempt: AttemptContext) => {
      const outcome = await completeAttempt(attempt);
      if (!outcome.ok) return outcome;
      rows.push(outcome.row);
      return { ok: true as const, value: outcome };
    };
    let won = await this.tryAll(plan, ctx, rows, errors, run);
    if (!won) throw this.fail(plan, rows, errors, live);
    const cascade = cascades.get(won.attempt.variantName);
    if (cascade) {
      const steps = await escalate({
        gateway: this,
        plan,
        ctx,
        cascade,
        first: won,
        tryModel: (c) => this.tryAll(c, ctx, rows, errors, run),
        ...(live ? { streamModel: (c: Plan) => this.tryAll(c, ctx, rows, errors, this.startStream) } : {}),
      });
      if (steps.streamed) {
        const { attempt, value } = steps.streamed;
        // The earlier steps' cost is added to the streamed step's (a cascade costs all its steps).
        const earlier = rows.reduce((sum, r) => sum + r.cost, 0);
        return { ...this.meta(plan, attempt), deltas: this.relay(plan, attempt, value, rows, ctx, earlier) };
      }
      won = steps.won;
    }
    const { value, attempt } = won;
    const { raw: _raw, usage, native, ...answer } = value.value;
    const ttftMs = value.ttftMs === null ? null : Math.round(value.startedAt - plan.started) + value.ttftMs;
    // A cascade's inference costs all its steps.
    const cost = cascade ? rows.reduce((sum, r) => sum + r.cost, 0) : costOf(attempt.model, usage);
    const latency = () => Math.round(plan.clock.now() - plan.started);
    const output = this.guards
      ? await this.guardOutput(
          plan,
          attempt,
          rows,
          { output: answer, usage, status: "ok", streamed: live, latencyMs: latency(), ttftMs, cost },
          ctx,
        )
      : answer;
    const result: InferenceResult = {
      ...this.meta(plan, attempt),
      output,
      usage: { ...usage, cost },
      latencyMs: latency(),
      ttftMs,
      // The provider's own body would carry the text a guardrail redacted.
      ...(native && output === answer ? { native } : {}),
    };
    this.record(plan, attempt, rows, { output, usage, status: "ok", streamed: live, latencyMs: result.latencyMs, ttftMs, cost });
    return result;
  }

  private startStream = async (attempt: AttemptContext) => {
    const started = await startStreamAttempt(attempt);
    return started.ok ? { ok: true as const, value: started.stream } : started;
  };

  async inferStream(input: InferenceInput, ctx: CallContext): Promise<StreamingInference> {
    const plan = await this.plan(input, ctx.clock ?? realClock);
    await this.admit(plan, ctx);
    if (this.guards) await this.guardInput(plan, ctx);
    if (cascadesOf(this.config, plan).has(plan.candidates[0]?.variantName ?? "")) {
      // A cascade checks whole answers: the steps it checks are buffered, its last step streams live.
      const done = await this.completeSteps(plan, ctx, true);
      if ("deltas" in done) return done;
      const { output, usage, latencyMs: _l, ttftMs: _t, native: _n, ...meta } = done;
      if (!meta.cached) plan.charge?.({ tokens: usage.input_tokens + usage.output_tokens, cost: usage.cost ?? 0 });
      return { ...meta, deltas: replay(output, usage) };
    }
    const hit = await this.fromCache(plan, true, ctx);
    if (hit) {
      const { output, usage, latencyMs: _l, ttftMs: _t, native: _n, ...meta } = hit;
      return { ...meta, deltas: replay(output, usage) };
    }
    const rows: ModelCallRow[] = [];
    const errors: UpstreamError[] = [];
    const won = await this.tryAll(plan, ctx, rows, errors, this.startStream);
    if (!won) throw this.fail(plan, rows, errors, true);
    return { ...this.meta(plan, won.attempt), deltas: this.relay(plan, won.attempt, won.value, rows, ctx) };
  }

  /**
   * Tries each candidate variant's model's providers in order, each up to 1 + max_retries times
   * on retryable errors (waiting the backoff), until one succeeds or the client goes away.
   */
  private async tryAll<T>(
    plan: Plan,
    ctx: CallContext,
    rows: ModelCallRow[],
    errors: UpstreamError[],
    tryOne: (attempt: AttemptContext) => Promise<{ ok: true; value: T } | { ok: false; error: UpstreamError; row: ModelCallRow }>,
  ): Promise<{ value: T; attempt: AttemptContext } | undefined> {
    for (const candidate of plan.candidates) {
      if (!candidate.request) continue;
      const model = this.config.models[candidate.modelName]!;
      for (const route of model.routing) {
        const provider = this.providers.get(route.provider)!;
        const providerConfig = this.config.providers[route.provider]!;
        const request = { ...candidate.request, model: route.model ?? candidate.modelName };
        // A Responses request goes natively to a provider that speaks it; the others get the chat request.
        const native =
          plan.input.responses && provider.responses ? nativeRequestBody(plan.input, plan.input.responses, request) : undefined;
        for (let n = 0; ; n++) {
          const attempt: AttemptContext = {
            inferenceId: plan.inferenceId,
            functionName: plan.functionName,
            variantName: candidate.variantName,
            modelName: candidate.modelName,
            model,
            provider,
            providerConfig,
            request,
            ...(native ? { native } : {}),
            attempt: rows.length,
            clock: plan.clock,
            signal: ctx.signal,
          };
          const outcome = await tryOne(attempt);
          if (outcome.ok) return { value: outcome.value, attempt };
          rows.push(outcome.row);
          errors.push(outcome.error);
          if (ctx.signal.aborted || outcome.error.kind === "aborted") return undefined;
          if (!outcome.error.retryable || n >= providerConfig.max_retries) break;
          await plan.clock.sleep(retryDelay(providerConfig, n, outcome.error, this.random), ctx.signal).catch(() => undefined);
          if (ctx.signal.aborted) return undefined;
        }
      }
    }
    return undefined;
  }

  private async *relay(
    plan: Plan,
    attempt: AttemptContext,
    stream: StartedStream,
    rows: ModelCallRow[],
    ctx: CallContext,
    /** A cascade's earlier steps' cost, added to this step's (the inference costs all of them). */
    earlier?: number,
  ): AsyncGenerator<ChatDelta, void, undefined> {
    const acc = new DeltaAccumulator();
    let error: UpstreamError | undefined;
    let blocked: GuardrailBlocked | undefined;
    const guard = this.guards?.stream(plan, attempt.modelName, () => this.remote(plan, ctx));
    try {
      // The last piece carries the usage (estimated when the upstream sent none) and its cost.
      const priced = (delta: ChatDelta): ChatDelta => {
        if (!isFinal(delta)) return delta;
        const usage = acc.usage ?? estimateUsage(attempt.request, acc.output());
        return { ...delta, usage: { ...usage, cost: (earlier ?? 0) + costOf(attempt.model, usage) } };
      };
      let piece: ChatDelta | undefined = stream.first;
      while (piece) {
        acc.add(piece);
        const out = guard ? await guard.pass(piece) : piece;
        if (out) yield priced(out);
        const next = await stream.rest.next();
        piece = next.done ? undefined : next.value;
      }
      // A stream that ended without a finish reason still gets the held-back text, checked.
      if (guard) for (const rest of await guard.finishAll()) yield rest;
    } catch (thrown) {
      if (thrown instanceof GuardrailBlocked) {
        blocked = thrown;
        thrown.headers = { "x-llmops-inference-id": plan.inferenceId };
        throw thrown;
      }
      error = asUpstreamError(thrown, stream.signal);
      const failed = new InferenceFailed(
        error.kind === "timeout" ? "gateway_timeout" : "bad_gateway",
        `the stream broke: ${error.message}`,
      );
      failed.headers = { "x-llmops-inference-id": plan.inferenceId };
      throw failed;
    } finally {
      // Also reached when the consumer stops early (client gone): the upstream is cancelled.
      if (!error && !blocked && ctx.signal.aborted) error = new UpstreamError("the client closed the connection", "aborted");
      await stream.rest.return(undefined).catch(() => undefined);
      // A broken stream keeps what arrived, marked partial, and no finish reason it never had.
      const received: ChatOutput = error ? { ...acc.output(), partial: true } : acc.output();
      const usage = acc.usage ?? estimateUsage(attempt.request, received);
      rows.push(stream.finish({ usage, response: JSON.stringify(received), error }));
      plan.charge?.({ tokens: usage.input_tokens + usage.output_tokens, cost: (earlier ?? 0) + costOf(attempt.model, usage) });
      if (guard) (plan.guardrails ??= []).push(...guard.verdicts());
      // The log keeps what the client got (redacted), or what was blocked.
      const output = guard && !blocked && !error ? guard.apply(received) : received;
      const ttftMs = stream.ttftMs === null ? null : Math.round(stream.startedAt - plan.started) + stream.ttftMs;
      const done = {
        output,
        usage,
        status: error || blocked ? ("error" as const) : ("ok" as const),
        error: blocked?.message ?? error?.message,
        streamed: true,
        latencyMs: Math.round(plan.clock.now() - plan.started),
        ttftMs,
        ...(earlier !== undefined ? { cost: rows.reduce((sum, r) => sum + r.cost, 0) } : {}),
      };
      this.record(plan, attempt, rows, done);
    }
  }

  private meta(plan: Plan, attempt: Pick<AttemptContext, "variantName" | "modelName"> & { provider?: Provider }): InferenceMeta {
    const candidate = plan.candidates.find((c) => c.variantName === attempt.variantName);
    return {
      inferenceId: plan.inferenceId,
      episodeId: plan.episodeId,
      functionName: plan.functionName,
      variantName: attempt.variantName,
      modelName: attempt.modelName,
      providerName: attempt.provider?.name ?? "",
      promptVersion: candidate?.promptVersion ?? "",
      cached: false,
    };
  }

  private plan(input: InferenceInput, clock: Clock): Promise<Plan> {
    return planInference(
      { config: this.config, prompts: this.deps.prompts, random: this.random, allocation: this.deps.allocation },
      input,
      clock,
    );
  }

  private cacheKeyOf(plan: Plan): string | undefined {
    const first = plan.candidates[0];
    if (!plan.cache.enabled || plan.input.dryrun || !first?.request) return undefined;
    return cacheKey({
      functionName: plan.functionName,
      variantName: first.variantName,
      modelName: first.modelName,
      request: first.request,
    });
  }

  private async fromCache(plan: Plan, streamed: boolean, ctx: CallContext): Promise<InferenceResult | undefined> {
    const key = this.cacheKeyOf(plan);
    if (!key) return undefined;
    const hit = await lookupCache(this.clickhouse, key, plan.cache.ttl_s, plan.clock.now());
    if (!hit) return undefined;
    const first = plan.candidates[0]!;
    const latencyMs = Math.round(plan.clock.now() - plan.started);
    const result: InferenceResult = {
      inferenceId: plan.inferenceId,
      episodeId: plan.episodeId,
      functionName: plan.functionName,
      variantName: first.variantName,
      modelName: first.modelName,
      providerName: "cache",
      promptVersion: first.promptVersion,
      cached: true,
      output: hit.output,
      usage: { ...hit.usage, cost: 0 },
      latencyMs,
      ttftMs: latencyMs,
    };
    // The answer passed the output checks of the config it was made under: today's apply again.
    if (this.guards) result.output = await this.guardCached(plan, result, streamed, ctx);
    this.deps.recorder.record("inferences", [this.inferenceRow(plan, result, { status: "ok", streamed, cost: 0 })]);
    return result;
  }

  /** Output guardrails on a cached answer; a block records the inference as failed (with the answer) and throws. */
  private async guardCached(plan: Plan, hit: InferenceResult, streamed: boolean, ctx: CallContext): Promise<ChatOutput> {
    try {
      return await this.guards!.output(plan, hit.modelName, hit.output, () => this.remote(plan, ctx));
    } catch (error) {
      if (!(error instanceof GuardrailBlocked)) throw error;
      error.headers = { "x-llmops-inference-id": plan.inferenceId };
      if (!plan.input.dryrun && this.deps.recorder.enabled)
        this.deps.recorder.record("inferences", [
          this.inferenceRow(plan, hit, { status: "error", error: error.message, streamed, cost: 0 }),
        ]);
      throw error;
    }
  }

  private record(plan: Plan, attempt: AttemptContext, rows: ModelCallRow[], done: RecordDone): void {
    if (plan.input.dryrun || !this.deps.recorder.enabled) return;
    const meta = this.meta(plan, attempt);
    const row = this.inferenceRow(
      plan,
      { ...meta, ...done },
      { status: done.status, error: done.error, streamed: done.streamed, cost: done.cost ?? costOf(attempt.model, done.usage) },
    );
    const key = this.cacheKeyOf(plan);
    const cache: CacheRow[] = [];
    if (key && done.status === "ok" && attempt.variantName === plan.candidates[0]?.variantName) {
      cache.push({
        cache_key: key,
        function_name: plan.functionName,
        variant_name: meta.variantName,
        model_name: meta.modelName,
        output: JSON.stringify(done.output),
        input_tokens: done.usage.input_tokens,
        output_tokens: done.usage.output_tokens,
        inference_id: plan.inferenceId,
        timestamp: toClickHouseTime(new Date(plan.clock.now())),
      });
    }
    // One call, so the inference, its model calls and its cache entry are spooled in one write.
    this.deps.recorder.recordAll({ inferences: [row], model_calls: rows, inference_cache: cache });
  }

  private inferenceRow(
    plan: Plan,
    r: InferenceMeta & { output: ChatOutput; usage: Usage; latencyMs: number; ttftMs: number | null },
    extra: { status: "ok" | "error"; error?: string; streamed: boolean; cost: number },
  ): InferenceRow {
    const input = plan.input;
    return {
      id: plan.inferenceId,
      episode_id: plan.episodeId,
      function_name: plan.functionName,
      variant_name: r.variantName,
      model_name: r.modelName,
      provider_name: r.providerName,
      prompt_version: r.promptVersion,
      input: JSON.stringify(
        dropUndefined({
          messages: input.messages ?? [],
          instructions: input.instructions,
          variables: input.variables,
          params: input.params && Object.keys(input.params).length ? input.params : undefined,
        }),
      ),
      output: JSON.stringify(r.output.partial ? { ...r.output, finish_reason: null } : r.output),
      input_tokens: r.usage.input_tokens,
      output_tokens: r.usage.output_tokens,
      cost: extra.cost,
      latency_ms: r.latencyMs,
      ttft_ms: r.ttftMs,
      status: extra.status,
      error: extra.error ?? "",
      cached: r.cached,
      streamed: extra.streamed,
      tags: input.tags ?? {},
      trace_id: input.trace?.traceId ?? "",
      end_user: input.params?.user ?? "",
      span_id: input.trace?.spanId ?? "",
      ...(plan.guardrails?.length ? { guardrails: plan.guardrails } : {}),
      timestamp: toClickHouseTime(new Date(plan.started)),
    };
  }

  /** Records the failed inference and builds the client's error from the attempts' errors. */
  private fail(plan: Plan, rows: ModelCallRow[], errors: UpstreamError[], streamed: boolean): AppError {
    const skipped = plan.candidates.filter((c) => c.renderError).map((c) => `${c.variantName}: ${c.renderError!.message}`);
    const summary = [...rows.map((r) => `${r.variant_name}/${r.provider_name} (attempt ${r.attempt + 1}): ${r.error}`), ...skipped].join(
      "; ",
    );
    const last = errors[errors.length - 1];
    const lastRow = rows[rows.length - 1];
    let error: InferenceFailed;
    if (!last) error = new InferenceFailed("bad_gateway", `no provider could be tried: ${summary || "no usable variant"}`);
    else if (last.kind === "aborted") error = new InferenceFailed("bad_request", "the client closed the connection");
    else if (errors.every((e) => e.kind === "timeout" || e.kind === "ttft_timeout"))
      error = new InferenceFailed("gateway_timeout", `every attempt timed out: ${summary}`);
    else if (last.kind === "http" && last.status === 429) error = new InferenceFailed("rate_limited", `upstream rate limit: ${summary}`);
    else if (last.kind === "http" && (last.status === 400 || last.status === 422))
      error = new InferenceFailed(last.status === 400 ? "bad_request" : "unprocessable", `the upstream refused the request: ${summary}`);
    else error = new InferenceFailed("bad_gateway", `every attempt failed: ${summary}`);
    error.headers = failureHeaders(plan.inferenceId, rows.length, last);
    if (!plan.input.dryrun && this.deps.recorder.enabled && lastRow) {
      const candidate = plan.candidates.find((c) => c.variantName === lastRow.variant_name);
      this.deps.recorder.recordAll({
        inferences: [
          this.inferenceRow(
            plan,
            {
              inferenceId: plan.inferenceId,
              episodeId: plan.episodeId,
              functionName: plan.functionName,
              variantName: lastRow.variant_name,
              modelName: lastRow.model_name,
              providerName: lastRow.provider_name,
              promptVersion: candidate?.promptVersion ?? "",
              cached: false,
              output: { content: null, finish_reason: "stop" },
              usage: { input_tokens: 0, output_tokens: 0 },
              latencyMs: Math.round(plan.clock.now() - plan.started),
              ttftMs: null,
            },
            { status: "error", error: error.message, streamed, cost: 0 },
          ),
        ],
        model_calls: rows,
      });
    }
    return error;
  }
}

/** Headers of a failed inference's error answer (see InferenceFailed). */
export function failureHeaders(inferenceId: string, attempts: number, last: UpstreamError | undefined): Record<string, string> {
  const headers: Record<string, string> = { "x-llmops-inference-id": inferenceId };
  if (last?.kind === "http" && (last.status === 429 || last.status === 503) && last.retryAfterMs !== undefined)
    headers["retry-after"] = String(Math.max(1, Math.ceil(last.retryAfterMs / 1000)));
  if (attempts > 1) headers["x-should-retry"] = "false";
  return headers;
}

function estimateUsage(request: ChatRequest, output: ChatOutput): Usage {
  return {
    input_tokens: request.messages.reduce((s, m) => s + estimateTokens(contentText(m.content ?? "")) + 3, 0),
    output_tokens: estimateTokens((output.content ?? "") + JSON.stringify(output.tool_calls ?? "")),
  };
}

/** A complete answer as a stream (cache hits, cascades): each choice's text, tool calls and logprobs, then the end. */
async function* replay(output: ChatOutput, usage: Usage): AsyncGenerator<ChatDelta, void, undefined> {
  for (const [i, choice] of (output.choices ?? [output]).entries()) {
    const index = i ? { index: i } : {};
    if (choice.content) yield { ...index, content: choice.content, ...(choice.logprobs ? { logprobs: choice.logprobs } : {}) };
    for (const [n, call] of (choice.tool_calls ?? []).entries()) yield { ...index, tool_calls: [{ index: n, ...call }] };
    if (i) yield { index: i, finish_reason: choice.finish_reason };
  }
  yield { finish_reason: output.finish_reason, usage: { ...usage, cost: usage.cost ?? 0 } };
}
