import "server-only";
import type { IncomingMessage, ServerResponse } from "node:http";
import { z, ZodError } from "zod";
import { fromNodeHeaders } from "@/lib/auth/authenticate.server";
import type { Caller } from "@/lib/auth/caller";
import { contextFor, type RequestContext } from "@/lib/auth/context.server";
import { AuthError } from "@/lib/auth/errors";
import type { Access } from "@/lib/auth/roles";
import { clipMessage } from "@/lib/http/clip";
import { AppError, formatZodIssues } from "@/lib/http/errors";
import { InputError, jsonContentTypeProblem, parseJsonInput, type JsonPath } from "@/lib/http/json-input";
import { parseTraceparent } from "@/lib/traces/ids";
import { isFinal, type ChatDelta, type Usage } from "./chat";
import { embeddings } from "./embeddings.server";
import { recordFeedback } from "./feedback.server";
import type { Gateway, InferenceInput, InferenceMeta } from "./gateway.server";
import { listModels, modelById } from "./models";
import { costHeader } from "./pricing";
import { responses } from "./responses/route.server";
import { gatewayPath, matchRoute, MODEL_BY_ID, OPENAI_BASE } from "./routes";
import {
  nativeRequestSchema,
  openaiChunk,
  openaiCompletion,
  openaiRequestSchema,
  openaiUsageChunk,
  parseModelField,
  type CompletionMeta,
} from "./wire";
import { fromTensorZeroOpenAI } from "./tensorzero/openai";
import { handleTensorZeroRequest, noteIgnored } from "./tensorzero/http.server";
import { isTensorZeroPath, TENSORZERO_PATHS } from "./tensorzero/paths";

/**
 * The gateway's HTTP surface on plain node:http (no framework on the hot path): the custom server
 * (scripts/server.mjs) sends these paths here before Next.js. Errors are OpenAI-shaped:
 * `{"error": {"message", "type", "code", "param"}}`.
 */
export const GATEWAY_PATHS = [
  "/openai/v1/chat/completions",
  "/openai/v1/embeddings",
  "/openai/v1/responses",
  "/openai/v1/models",
  "/api/inference",
  "/api/feedback",
  "/api/gateway/status",
  "/api/gateway/dead-letters/retry",
  ...TENSORZERO_PATHS,
] as const;

/** The gateway's paths, and everything under `/openai/v1` (unknown ones get a JSON 404 there, see routes.ts). */
export function isGatewayPath(url: string | undefined): boolean {
  if (!url) return false;
  const q = url.indexOf("?");
  const path = q >= 0 ? url.slice(0, q) : url;
  if (path === OPENAI_BASE || path.startsWith(`${OPENAI_BASE}/`)) return true;
  return (GATEWAY_PATHS as readonly string[]).includes(path.length > 1 && path.endsWith("/") ? path.slice(0, -1) : path);
}

const TYPES: Record<number, string> = {
  400: "invalid_request_error",
  404: "not_found_error",
  405: "invalid_request_error",
  413: "invalid_request_error",
  415: "invalid_request_error",
  422: "invalid_request_error",
  429: "rate_limit_error",
  502: "upstream_error",
  503: "service_unavailable",
  504: "timeout_error",
};

export function errorBody(error: unknown): {
  status: number;
  body: { error: { message: string; type: string; code: string; param: string | null } };
} {
  if (error instanceof AuthError) {
    // OpenAI's own answer to a missing or wrong key (SDKs raise AuthenticationError on it).
    const code = error.kind === "unauthenticated" ? "invalid_api_key" : "insufficient_permissions";
    return {
      status: error.status,
      body: { error: { message: clipMessage(error.message), type: "invalid_request_error", code, param: null } },
    };
  }
  if (error instanceof AppError) {
    const field = (error.details as { field?: unknown } | undefined)?.field;
    return {
      status: error.status,
      body: {
        error: {
          message: clipMessage(error.message),
          type: TYPES[error.status] ?? "api_error",
          code: error.code,
          param: typeof field === "string" ? field : null,
        },
      },
    };
  }
  if (error instanceof ZodError) {
    const issues = formatZodIssues(error);
    const message = issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join("; ");
    return {
      status: 400,
      body: {
        error: {
          message: clipMessage(`Invalid request: ${message}`),
          type: "invalid_request_error",
          code: "bad_request",
          param: issues[0]?.path || null,
        },
      },
    };
  }
  console.error("[llmops] gateway: unexpected error", error);
  return {
    status: 500,
    body: { error: { message: "Internal error; see the server log.", type: "server_error", code: "internal", param: null } },
  };
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), ...headers });
  res.end(text);
}

function sendError(res: ServerResponse, error: unknown): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const { status, body } = errorBody(error);
  // Failed inferences carry their id, Retry-After and x-should-retry (gateway.server.ts).
  const extra = error instanceof AppError ? (error as AppError & { headers?: Record<string, string> }).headers : undefined;
  sendJson(res, status, body, extra ?? {});
}

/**
 * Free text in gateway bodies: chat messages, template variables and feedback values. NUL and lone
 * surrogates there become U+FFFD (a prompt with a broken character still runs and is logged);
 * anywhere else (names, tags, ids, params) they are refused with the field named.
 */
export function isFreeText(path: JsonPath): boolean {
  const [first, second] = path;
  if (first === "messages" || first === "value") return true;
  return (first === "input" || first === "llmops") && (second === "messages" || second === "variables" || second === "system");
}

/**
 * Reads a JSON body through the shared reader (lib/http/json-input.ts): more than `maxBytes` is a
 * 413, a content type other than application/json (or none, with a body) a 415, and depth or text the stores cannot hold a 400 naming the field.
 */
export function readJson(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  const type = req.headers["content-type"];
  const wrongType = jsonContentTypeProblem(type, false);
  if (wrongType) return Promise.reject(new AppError("unsupported_media_type", wrongType));
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > maxBytes)
    return Promise.reject(new AppError("payload_too_large", `the body of ${declared} bytes exceeds the limit of ${maxBytes} bytes`));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        req.removeAllListeners("data");
        req.resume();
        reject(new AppError("payload_too_large", `the body exceeds the limit of ${maxBytes} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    req.on("error", reject);
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const untyped = jsonContentTypeProblem(type, body.length > 0);
      if (untyped) return reject(new AppError("unsupported_media_type", untyped));
      try {
        resolve(parseJsonInput(body.toString("utf8"), { freeText: isFreeText }));
      } catch (error) {
        if (!(error instanceof InputError)) return reject(error);
        reject(new AppError("bad_request", `invalid body: ${error.message}`, error.field ? { field: error.field } : undefined));
      }
    });
  });
}

/** US dollars the answer cost (0 for a cache hit); on a stream, a trailer. */
export const COST_HEADER = "x-llmops-cost-usd";

/** Aborted when the client goes away before the response is complete. */
export function clientSignal(req: IncomingMessage, res: ServerResponse): AbortSignal {
  const controller = new AbortController();
  res.on("close", () => {
    if (!res.writableFinished) controller.abort(new Error("client disconnected"));
  });
  req.on("aborted", () => controller.abort(new Error("client disconnected")));
  return controller.signal;
}

export function metaHeaders(meta: InferenceMeta, usage?: Usage): Record<string, string> {
  return {
    ...(usage?.cost !== undefined ? { [COST_HEADER]: costHeader(usage.cost) } : {}),
    "x-llmops-inference-id": meta.inferenceId,
    "x-llmops-episode-id": meta.episodeId,
    "x-llmops-function": meta.functionName,
    "x-llmops-variant": meta.variantName,
    "x-llmops-cache": meta.cached ? "hit" : "miss",
  };
}

export function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return (Array.isArray(value) ? value[0] : value)?.trim() || undefined;
}

/** `x-llmops-cache: on`, `off`, or `ttl=600` (on, 600 s). */
export function cacheHeader(value: string | undefined): InferenceInput["cache"] {
  if (!value) return undefined;
  if (value === "on" || value === "true") return { enabled: true };
  if (value === "off" || value === "false") return { enabled: false };
  const ttl = /^ttl=(\d+)$/.exec(value);
  if (ttl) return { enabled: true, ttl_s: Number(ttl[1]) };
  throw new AppError("bad_request", `x-llmops-cache: expected on, off or ttl=SECONDS, got "${value}"`);
}

async function writeSse(
  res: ServerResponse,
  deltas: AsyncGenerator<ChatDelta, void, undefined>,
  encode: (delta: ChatDelta, first: boolean) => unknown[],
  headers: Record<string, string>,
): Promise<void> {
  res.writeHead(200, {
    // The cost is known at the end: it comes as a trailer (and in the stream's usage).
    trailer: COST_HEADER,
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache",
    connection: "keep-alive",
    "x-accel-buffering": "no",
    ...headers,
  });
  let first = true;
  try {
    for await (const delta of deltas) {
      if (res.destroyed) break;
      if (delta.usage?.cost !== undefined) res.addTrailers({ [COST_HEADER]: costHeader(delta.usage.cost) });
      for (const event of encode(delta, first)) res.write(`data: ${JSON.stringify(event)}\n\n`);
      first = false;
    }
    if (!res.destroyed) res.end("data: [DONE]\n\n");
  } catch (error) {
    // Mid-stream failure: an error event (OpenAI SDKs raise it), then close without [DONE].
    if (!res.destroyed) res.end(`data: ${JSON.stringify(errorBody(error).body)}\n\n`);
  } finally {
    await deltas.return(undefined);
  }
}

async function chatCompletions(gateway: Gateway, req: IncomingMessage, res: ServerResponse, apiKey?: string): Promise<void> {
  const raw = await readJson(req, gateway.config.gateway.max_body_bytes);
  const tz = fromTensorZeroOpenAI(raw); // TensorZero's names (tensorzero::…): its clients get episode_id in the body
  if (tz?.ignored.length) noteIgnored(res, tz.ignored);
  const body = openaiRequestSchema.parse(tz?.body ?? raw);
  const { model, messages, stream, stream_options, n, llmops, ...rest } = body;
  const params = n !== undefined && n > 1 ? { ...rest, n } : rest;
  const target = parseModelField(model);
  const input: InferenceInput = {
    ...target,
    messages,
    params,
    variables: llmops?.variables,
    variant: llmops?.variant ?? header(req, "x-llmops-variant"),
    hint: llmops?.hint ?? header(req, "x-llmops-hint"),
    episodeId: llmops?.episode_id ?? header(req, "x-llmops-episode-id"),
    tags: llmops?.tags,
    dryrun: llmops?.dryrun,
    cache: llmops?.cache ?? cacheHeader(header(req, "x-llmops-cache")),
    trace: parseTraceparent(header(req, "traceparent")) ?? undefined,
  };
  if (input.episodeId && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(input.episodeId)) {
    throw new AppError("bad_request", `x-llmops-episode-id: "${input.episodeId}" is not a UUID`);
  }
  if ("modelName" in target && input.variant)
    throw new AppError("bad_request", "a variant can only be pinned when calling a function (model: function::NAME)");
  const signal = clientSignal(req, res);
  const created = Math.floor(Date.now() / 1000);
  if (stream) {
    const result = await gateway.inferStream(input, { signal, apiKey });
    const meta: CompletionMeta = { inferenceId: result.inferenceId, model, created };
    let usage: Usage | undefined;
    const begun = new Set<number>(); // choices whose first chunk (with the role) went out
    await writeSse(
      res,
      result.deltas,
      (delta) => {
        if (delta.usage) usage = delta.usage;
        const index = delta.index ?? 0;
        const chunk = openaiChunk(meta, delta, !begun.has(index));
        begun.add(index);
        const events: unknown[] = [tz ? { ...chunk, episode_id: result.episodeId } : chunk];
        if (isFinal(delta) && stream_options?.include_usage && usage) events.push(openaiUsageChunk(meta, usage));
        return events;
      },
      metaHeaders(result),
    );
    return;
  }
  const result = await gateway.infer(input, { signal, apiKey });
  const completion = openaiCompletion({ inferenceId: result.inferenceId, model, created }, result.output, result.usage);
  sendJson(res, 200, tz ? { ...completion, episode_id: result.episodeId } : completion, metaHeaders(result, result.usage));
}

async function nativeInference(gateway: Gateway, req: IncomingMessage, res: ServerResponse, apiKey?: string): Promise<void> {
  const body = nativeRequestSchema.parse(await readJson(req, gateway.config.gateway.max_body_bytes));
  const input: InferenceInput = {
    functionName: body.function_name,
    modelName: body.model_name,
    variables: body.input.variables,
    messages: body.input.messages,
    params: body.params,
    variant: body.variant_name,
    hint: body.hint ?? header(req, "x-llmops-hint"),
    episodeId: body.episode_id,
    tags: body.tags,
    dryrun: body.dryrun,
    cache: body.cache,
    trace: parseTraceparent(header(req, "traceparent")) ?? undefined,
  };
  const signal = clientSignal(req, res);
  const fields = (meta: InferenceMeta) => ({
    inference_id: meta.inferenceId,
    episode_id: meta.episodeId,
    function_name: meta.functionName,
    variant_name: meta.variantName,
    model_name: meta.modelName,
    provider_name: meta.providerName,
    prompt_version: meta.promptVersion || null,
    cached: meta.cached,
  });
  if (body.stream) {
    const result = await gateway.inferStream(input, { signal, apiKey });
    const head = fields(result);
    await writeSse(
      res,
      result.deltas,
      (delta, first) => [first ? { ...head, delta } : { inference_id: result.inferenceId, delta }],
      metaHeaders(result),
    );
    return;
  }
  const result = await gateway.infer(input, { signal, apiKey });
  sendJson(
    res,
    200,
    {
      ...fields(result),
      output: result.output,
      usage: result.usage,
      latency_ms: result.latencyMs,
      ttft_ms: result.ttftMs,
      dryrun: body.dryrun ?? false,
    },
    metaHeaders(result, result.usage),
  );
}

async function feedback(gateway: Gateway, ctx: RequestContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readJson(req, gateway.config.gateway.max_body_bytes);
  const id = await recordFeedback({ clickhouse: gateway.clickhouse, config: gateway.config }, body, {
    sentBy: sentByOf(ctx.caller),
    waitForTargetMs: gateway.config.recorder.flush_ms + 2_000,
    flushLocal: () => gateway.recorder.flush(),
  }).catch((error: unknown) => {
    if (error instanceof AppError || error instanceof ZodError) throw error;
    throw new AppError(
      "unavailable",
      `the inference log (ClickHouse) is unavailable: ${error instanceof Error ? error.message : String(error)}`,
    );
  });
  sendJson(res, 200, { feedback_id: id });
}

const retrySchema = z.strictObject({
  ids: z.array(z.number().int().positive().max(Number.MAX_SAFE_INTEGER)).max(10_000).optional(),
  limit: z.number().int().min(1).max(10_000).optional(),
});

/** Writes dead letters to ClickHouse again (after a fix): `{ids?, limit?}` → what was written. */
async function retryDeadLetters(gateway: Gateway, ctx: RequestContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const text = req.headers["content-length"] === "0" ? undefined : await readJson(req, 64 * 1024);
  const body = retrySchema.parse(text ?? {});
  const result = await gateway.recorder.retryDeadLetters(body).catch((error: unknown) => {
    if (error instanceof AppError || error instanceof ZodError) throw error;
    throw new AppError("unavailable", `cannot retry the dead letters now: ${error instanceof Error ? error.message : String(error)}`);
  });
  await ctx.audit.record({
    action: "gateway.dead_letters_retried",
    target: { kind: "dead_letters", id: body.ids?.join(",").slice(0, 200) ?? "all" },
    after: result,
  });
  sendJson(res, 200, result);
}

function models(gateway: Gateway, res: ServerResponse): void {
  sendJson(res, 200, listModels(gateway.config));
}

/** Who may call a gateway path (lib/auth/roles.ts). */
export function gatewayAccess(path: string): Access {
  if (path === "/api/gateway/status") return "read";
  if (path === "/api/gateway/dead-letters/retry") return "admin";
  if (path === "/status" || path === "/health") return "public";
  return "inference";
}

/**
 * A gateway request's context, opened as every other front door opens it (contextFor): the caller,
 * refused (401/403 in OpenAI's words) without the access the path needs or, signed in by cookie,
 * from another origin; the gateway's stores; the audit log; the request id.
 */
export function gatewayContext(gateway: Gateway, req: IncomingMessage, access: Access): Promise<RequestContext> {
  return contextFor(fromNodeHeaders(req.headers), req.method ?? "GET", access, gateway.stores);
}

/** The API key's name that `[budgets]` limits by `api_key` count (lib/budgets); none for sessions. */
export function budgetKeyOf(caller: Caller): string | undefined {
  return caller.kind === "key" ? caller.keyName : undefined;
}

/** Feedback's `llmops.sent_by`: the account or key that sent it (nothing when auth is off). */
export function sentByOf(caller: Caller): string | undefined {
  return caller.kind === "user" || caller.kind === "key" ? caller.name : undefined;
}

/** Handles one request on a gateway path; never throws (errors become OpenAI-style bodies). */
export async function handleGatewayRequest(getGateway: () => Promise<Gateway>, req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    const requested = gatewayPath(req.url ?? "/");
    if (isTensorZeroPath(requested)) return await handleTensorZeroRequest(getGateway, requested, req, res);
    const { route: path, method, id } = matchRoute(requested);
    if (req.method !== method) {
      res.setHeader("allow", method);
      throw new AppError("method_not_allowed", `${path} takes ${method}, not ${req.method}`);
    }
    const gateway = await getGateway();
    const ctx = await gatewayContext(gateway, req, gatewayAccess(path));
    switch (path) {
      case MODEL_BY_ID:
        return sendJson(res, 200, modelById(gateway.config, id!));
      case "/openai/v1/embeddings":
        return await embeddings(gateway, req, res, budgetKeyOf(ctx.caller));
      case "/openai/v1/responses":
        return await responses(gateway, req, res, budgetKeyOf(ctx.caller));

      case "/openai/v1/chat/completions":
        return await chatCompletions(gateway, req, res, budgetKeyOf(ctx.caller));
      case "/openai/v1/models":
        return models(gateway, res);
      case "/api/inference":
        return await nativeInference(gateway, req, res, budgetKeyOf(ctx.caller));
      case "/api/feedback":
        return await feedback(gateway, ctx, req, res);
      case "/api/gateway/dead-letters/retry":
        return await retryDeadLetters(gateway, ctx, req, res);
      case "/api/gateway/status":
        return sendJson(res, 200, {
          recorder: gateway.recorder.stats(),
          // Postgres down: the recorder's figures still answer, with the dead letters' error.
          dead_letters: await gateway.recorder.deadLetterSummary().catch((error: unknown) => ({
            error: `the dead letters (Postgres) are unavailable: ${error instanceof Error ? error.message : String(error)}`,
          })),
          functions: Object.keys(gateway.config.functions),
          models: Object.keys(gateway.config.models),
        });
    }
  } catch (error) {
    sendError(res, error);
  }
}
