import "server-only";
import { createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { ClickHouseClient } from "@clickhouse/client";
import { z } from "zod";
import { AppError } from "@/lib/http/errors";
import { EMBEDDING_FUNCTION, toClickHouseTime, type ModelCallRow } from "@/lib/inference/tables";
import { asUpstreamError, costOf, MAX_LOGGED_CHARS, retryDelay } from "./attempts.server";
import { withDeadline } from "./deadline";
import { failureHeaders, type Gateway } from "./gateway.server";
import { cacheHeader, clientSignal, COST_HEADER, header, readJson, sendJson } from "./http.server";
import { uuidAt } from "./ids";
import { costHeader } from "./pricing";
import { itemTokens } from "./providers/embeddings";
import { realClock, UpstreamError, type Clock, type EmbedResult } from "./providers/types";
import { parseModelField } from "./wire";

/**
 * `POST /openai/v1/embeddings`: OpenAI's request and answer, through the model's providers in
 * routing order (retries and fallbacks as for chat). With the cache on, each input item is looked
 * up alone (key: model, dimensions, item), so a batch with some items seen before sends only the
 * others upstream. Logged as an inference of `llmops::embedding` (the model as the variant) with
 * one model_calls row per attempt; cached items cost nothing.
 */
const MAX_ITEMS = 2048;

const cacheOption = z.strictObject({
  enabled: z.boolean().default(true),
  ttl_s: z
    .number()
    .int()
    .positive()
    .max(30 * 86_400)
    .optional(),
});

export const embeddingRequestSchema = z.object({
  model: z.string().min(1, "model is required"),
  input: z.union([
    z.string().min(1, "input cannot be an empty string"),
    z.array(z.string().min(1, "input items cannot be empty strings")).min(1).max(MAX_ITEMS),
    z.array(z.number().int().min(0)).min(1),
    z
      .array(z.array(z.number().int().min(0)).min(1))
      .min(1)
      .max(MAX_ITEMS),
  ]),
  dimensions: z.number().int().positive().max(16_384).optional(),
  encoding_format: z.enum(["float", "base64"]).optional(),
  user: z.string().max(1000).optional(),
  llmops: z
    .strictObject({
      cache: cacheOption.optional(),
      tags: z.record(z.string().min(1).max(200), z.string().max(2000)).optional(),
      dryrun: z.boolean().optional(),
    })
    .optional(),
});
export type EmbeddingRequest = z.infer<typeof embeddingRequestSchema>;

type Item = string | number[];

export interface EmbeddingResponse {
  object: "list";
  data: { object: "embedding"; index: number; embedding: number[] | string }[];
  model: string;
  usage: { prompt_tokens: number; total_tokens: number; cost: number };
}

function items(input: EmbeddingRequest["input"]): Item[] {
  if (typeof input === "string") return [input];
  if (input.every((x) => typeof x === "number")) return [input as number[]];
  return input as Item[];
}

export const embeddingCacheKey = (model: string, dimensions: number | undefined, item: Item) =>
  createHash("sha256")
    .update(JSON.stringify({ kind: "embedding", model, dimensions: dimensions ?? null, item }))
    .digest("hex");

async function lookup(
  client: ClickHouseClient,
  keys: string[],
  ttlSeconds: number,
  now: number,
): Promise<Map<string, { vector: number[]; tokens: number }>> {
  const found = new Map<string, { vector: number[]; tokens: number }>();
  if (keys.length === 0) return found;
  try {
    const result = await client.query({
      query: `SELECT cache_key, output, input_tokens FROM inference_cache
               WHERE cache_key IN {keys:Array(FixedString(64))} AND timestamp >= {since:DateTime64(3, 'UTC')}
               ORDER BY timestamp DESC LIMIT 1 BY cache_key`,
      query_params: { keys: [...new Set(keys)], since: toClickHouseTime(new Date(now - ttlSeconds * 1000)) },
      format: "JSONEachRow",
    });
    for (const row of await result.json<{ cache_key: string; output: string; input_tokens: number | string }>()) {
      found.set(row.cache_key, { vector: JSON.parse(row.output) as number[], tokens: Number(row.input_tokens) });
    }
  } catch (error) {
    console.warn(
      `[llmops] gateway: embedding cache lookup failed, treated as misses: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return found;
}

/** Float32 little-endian bytes in base64, as OpenAI sends `encoding_format: "base64"`. */
export function toBase64(vector: number[]): string {
  const floats = new Float32Array(vector);
  return Buffer.from(floats.buffer, floats.byteOffset, floats.byteLength).toString("base64");
}

/** Splits a batch's token count over its items in proportion to their size (for per-item cache rows). */
function shares(total: number, batch: Item[]): number[] {
  const sizes = batch.map(itemTokens);
  const sum = sizes.reduce((s, x) => s + x, 0) || 1;
  return sizes.map((size) => Math.round((total * size) / sum));
}

/** `POST /openai/v1/embeddings` on node:http. */
export async function embeddings(gateway: Gateway, req: IncomingMessage, res: ServerResponse, apiKey?: string): Promise<void> {
  const body = embeddingRequestSchema.parse(await readJson(req, gateway.config.gateway.max_body_bytes));
  const fromHeader = cacheHeader(header(req, "x-llmops-cache"));
  const cache = body.llmops?.cache ?? (fromHeader && { enabled: fromHeader.enabled ?? true, ttl_s: fromHeader.ttl_s });
  const result = await embed(gateway, { ...body, llmops: { ...body.llmops, cache } }, { signal: clientSignal(req, res), apiKey });
  sendJson(res, 200, result.body, result.headers);
}

/** A failed embeddings call, logged under `inferenceId`. */
export class EmbeddingFailed extends AppError {
  readonly headers: Record<string, string>;
  constructor(
    error: AppError,
    readonly inferenceId: string,
    attempts: number,
    last: UpstreamError | undefined,
  ) {
    super(error.code, error.message, error.details);
    this.headers = failureHeaders(inferenceId, attempts, last);
  }
}

/** Embeds a parsed request (the route, the demo): the OpenAI answer and the gateway's headers. */
export async function embed(
  gateway: Gateway,
  body: EmbeddingRequest,
  options: { signal: AbortSignal; clock?: Clock; apiKey?: string },
): Promise<{ body: EmbeddingResponse; headers: Record<string, string> }> {
  const target = parseModelField(body.model);
  if ("functionName" in target)
    throw new AppError("bad_request", "embeddings take a model (model::NAME or NAME), not a function", { field: "model" });
  const modelName = target.modelName;
  const model = gateway.config.models[modelName];
  if (!model)
    throw new AppError("not_found", `unknown model "${modelName}"; GET /openai/v1/models lists the callable names`, { field: "model" });
  if (model.kind !== "embedding")
    throw new AppError("bad_request", `model "${modelName}" is a chat model; declare kind = "embedding" to embed with it`, {
      field: "model",
    });
  // Budgets (lib/budgets): counted as function llmops::embedding on this model; charged its fresh tokens.
  const charge = body.llmops?.dryrun
    ? undefined
    : await gateway.budgets?.admit({ apiKey: options.apiKey, functionName: EMBEDDING_FUNCTION, modelName, tags: body.llmops?.tags });
  const signal = options.signal;
  const clock = options.clock ?? realClock;
  const started = clock.now();
  const inferenceId = uuidAt(started);
  const all = items(body.input);
  const cache = body.llmops?.cache;
  const cacheOn = Boolean(cache?.enabled) && !body.llmops?.dryrun;
  const keys = cacheOn ? all.map((item) => embeddingCacheKey(modelName, body.dimensions, item)) : [];
  const hits = cacheOn
    ? await lookup(gateway.clickhouse, keys, cache?.ttl_s ?? 3600, clock.now())
    : new Map<string, { vector: number[]; tokens: number }>();
  const vectors: (number[] | undefined)[] = all.map((_, i) => (cacheOn ? hits.get(keys[i]!)?.vector : undefined));
  const missing = all.flatMap((item, i) => (vectors[i] ? [] : [{ item, i }]));
  const rows: ModelCallRow[] = [];
  const record = !body.llmops?.dryrun && gateway.recorder.enabled;

  let fresh: { result: EmbedResult; provider: string } | undefined;
  let lastError: UpstreamError | undefined;
  if (missing.length > 0) {
    const request = { input: missing.map((m) => m.item), dimensions: body.dimensions, user: body.user };
    outer: for (const route of model.routing) {
      const provider = gateway.providers.get(route.provider)!;
      const providerConfig = gateway.config.providers[route.provider]!;
      for (let n = 0; ; n++) {
        const attemptStart = clock.now();
        const upstream = { ...request, model: route.model ?? modelName };
        const row = (fields: Partial<ModelCallRow>): ModelCallRow => ({
          id: uuidAt(attemptStart),
          inference_id: inferenceId,
          attempt: rows.length,
          function_name: EMBEDDING_FUNCTION,
          variant_name: modelName,
          model_name: modelName,
          provider_name: provider.name,
          request: clipLog(JSON.stringify(upstream)),
          response: "",
          input_tokens: 0,
          output_tokens: 0,
          cost: 0,
          latency_ms: Math.round(clock.now() - attemptStart),
          ttft_ms: null,
          status: "ok",
          error: "",
          timestamp: toClickHouseTime(new Date(attemptStart)),
          ...fields,
        });
        try {
          if (!provider.embed) throw new UpstreamError(`${provider.name}: a ${provider.type} provider has no embeddings`, "protocol");
          const embed = provider.embed.bind(provider);
          const result = await withDeadline(
            signal,
            providerConfig.timeout_ms,
            () => new UpstreamError(`${provider.name}: no answer within ${providerConfig.timeout_ms} ms`, "timeout"),
            (attemptSignal) => embed(upstream, { signal: attemptSignal, clock, onFirstToken: () => undefined }),
          );
          const usage = { input_tokens: result.input_tokens, output_tokens: 0 };
          rows.push(row({ response: clipLog(result.raw), input_tokens: result.input_tokens, cost: costOf(model, usage) }));
          fresh = { result, provider: provider.name };
          break outer;
        } catch (thrown) {
          const error = asUpstreamError(thrown, signal);
          lastError = error;
          rows.push(row({ status: "error", error: error.message, response: clipLog(error.body ?? "") }));
          if (signal.aborted) break outer;
          if (!error.retryable || n >= providerConfig.max_retries) break;
          await clock.sleep(retryDelay(providerConfig, n, error, Math.random), signal).catch(() => undefined);
          if (signal.aborted) break outer;
        }
      }
    }
  }

  const latencyMs = Math.round(clock.now() - started);
  const cachedTokens = all.reduce((s, _, i) => s + (cacheOn ? (hits.get(keys[i]!)?.tokens ?? 0) : 0), 0);
  const freshTokens = fresh?.result.input_tokens ?? 0;
  const cost = fresh ? costOf(model, { input_tokens: freshTokens, output_tokens: 0 }) : 0;
  if (fresh) charge?.({ tokens: freshTokens, cost });
  const base = {
    id: inferenceId,
    episode_id: inferenceId,
    function_name: EMBEDDING_FUNCTION,
    variant_name: modelName,
    model_name: modelName,
    prompt_version: "",
    input: JSON.stringify({ input: all, ...(body.dimensions ? { params: { dimensions: body.dimensions } } : {}) }),
    latency_ms: latencyMs,
    ttft_ms: null,
    streamed: false,
    tags: body.llmops?.tags ?? {},
    end_user: body.user ?? "",
    timestamp: toClickHouseTime(new Date(started)),
  };
  if (missing.length > 0 && !fresh) {
    const error = failure(lastError, rows);
    if (record) {
      gateway.recorder.record("inferences", [
        {
          ...base,
          provider_name: rows[rows.length - 1]?.provider_name ?? "",
          output: JSON.stringify({ embeddings: 0, dimensions: 0, cached: all.length - missing.length }),
          input_tokens: 0,
          output_tokens: 0,
          cost: 0,
          status: "error",
          error: error.message,
          cached: false,
        },
      ]);
      gateway.recorder.record("model_calls", rows);
    }
    throw new EmbeddingFailed(error, inferenceId, rows.length, lastError);
  }
  for (const [j, m] of missing.entries()) vectors[m.i] = fresh!.result.vectors[j];
  const dimensions = vectors[0]?.length ?? 0;
  if (record) {
    gateway.recorder.record("inferences", [
      {
        ...base,
        provider_name: fresh?.provider ?? "cache",
        output: JSON.stringify({ embeddings: all.length, dimensions, cached: all.length - missing.length }),
        input_tokens: freshTokens + cachedTokens,
        output_tokens: 0,
        cost,
        status: "ok",
        error: "",
        cached: missing.length === 0,
      },
    ]);
    gateway.recorder.record("model_calls", rows);
    if (cacheOn && fresh) {
      const tokens = shares(
        freshTokens,
        missing.map((m) => m.item),
      );
      gateway.recorder.record(
        "inference_cache",
        missing.map((m, j) => ({
          cache_key: keys[m.i]!,
          function_name: EMBEDDING_FUNCTION,
          variant_name: modelName,
          model_name: modelName,
          output: JSON.stringify(fresh!.result.vectors[j]),
          input_tokens: tokens[j]!,
          output_tokens: 0,
          inference_id: inferenceId,
          timestamp: toClickHouseTime(new Date(started)),
        })),
      );
    }
  }
  const base64 = body.encoding_format === "base64";
  const totalTokens = freshTokens + cachedTokens;
  return {
    body: {
      object: "list",
      data: vectors.map((vector, index) => ({ object: "embedding", index, embedding: base64 ? toBase64(vector!) : vector! })),
      model: body.model,
      usage: { prompt_tokens: totalTokens, total_tokens: totalTokens, cost },
    },
    headers: {
      "x-llmops-inference-id": inferenceId,
      "x-llmops-function": EMBEDDING_FUNCTION,
      "x-llmops-variant": modelName,
      "x-llmops-cache": missing.length === 0 ? "hit" : missing.length === all.length ? "miss" : "partial",
      "x-llmops-cache-hits": String(all.length - missing.length),
      [COST_HEADER]: costHeader(cost),
    },
  };
}

const clipLog = (text: string) => (text.length > MAX_LOGGED_CHARS ? `${text.slice(0, MAX_LOGGED_CHARS)}…[truncated]` : text);

function failure(last: UpstreamError | undefined, rows: ModelCallRow[]): AppError {
  const summary = rows.map((r) => `${r.provider_name} (attempt ${r.attempt + 1}): ${r.error}`).join("; ");
  if (!last) return new AppError("bad_gateway", "no provider could be tried");
  if (last.kind === "aborted") return new AppError("bad_request", "the client closed the connection");
  if (last.kind === "timeout") return new AppError("gateway_timeout", `every attempt timed out: ${summary}`);
  if (last.kind === "http" && last.status === 429) return new AppError("rate_limited", `upstream rate limit: ${summary}`);
  if (last.kind === "http" && last.status === 400) return new AppError("bad_request", `the upstream refused the request: ${summary}`);
  return new AppError("bad_gateway", `every attempt failed: ${summary}`);
}
