import "server-only";
import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import { clip } from "@/lib/http/clip";
import { AppError } from "@/lib/http/errors";
import { parseTraceparent } from "@/lib/traces/ids";
import type { ChatDelta } from "../chat";
import { checkFeedback, recordFeedback } from "../feedback.server";
import type { Gateway } from "../gateway.server";
import type { RequestContext } from "@/lib/auth/context.server";
import { clientSignal, errorBody, gatewayAccess, gatewayContext, metaHeaders, readJson, sendJson, sentByOf } from "../http.server";
import { uuidAt } from "../ids";
import { TENSORZERO_METHODS, type TensorZeroPath } from "./paths";
import { translateInference, tzChunker, tzInferenceSchema, tzResponse } from "./wire";

/**
 * TensorZero's HTTP API on the gateway's node:http handler: `POST /inference` (streaming or not),
 * `POST /feedback`, `GET /health`, `GET /status`, so its clients work with `gateway_url` pointed
 * here. Same inference path as our own routes; errors in its dialect: `{"error": "message"}`.
 */

const seenNotes = new Set<string>();

/** Lists accepted-but-ignored fields in `x-llmops-ignored` and logs each distinct list once per process. */
export function noteIgnored(res: ServerResponse, fields: string[]): void {
  const text = clip(fields.join(", "), 400).replace(/[^\x20-\x7e]/g, "?");
  res.setHeader("x-llmops-ignored", text);
  if (seenNotes.has(text) || seenNotes.size >= 200) return;
  seenNotes.add(text);
  console.info(`[llmops] tensorzero compatibility: accepted without effect here: ${text}`);
}

function sendTzError(res: ServerResponse, error: unknown): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const { status, body } = errorBody(error);
  sendJson(res, status, { error: body.error.message });
}

const isJsonFunction = (gateway: Gateway) => (name: string) => {
  const fn = gateway.config.functions[name];
  return fn !== undefined && Object.values(fn.variants).every((v) => v.json_mode === true);
};

async function inference(gateway: Gateway, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const raw = await readJson(req, gateway.config.gateway.max_body_bytes);
  const body = tzInferenceSchema.parse(raw);
  const t = translateInference(raw as Record<string, unknown>, body, isJsonFunction(gateway));
  const traceparent = req.headers.traceparent;
  const input = { ...t.input, trace: parseTraceparent(typeof traceparent === "string" ? traceparent : undefined) ?? undefined };
  if (t.ignored.length) noteIgnored(res, t.ignored);
  const signal = clientSignal(req, res);
  if (!t.stream) {
    const result = await gateway.infer(input, { signal });
    sendJson(res, 200, tzResponse(result, result.output, result.usage, t.json, t.toolNames), metaHeaders(result));
    return;
  }
  const result = await gateway.inferStream(input, { signal });
  const encode = tzChunker(result, t.json);
  res.writeHead(200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache",
    connection: "keep-alive",
    "x-accel-buffering": "no",
    ...metaHeaders(result),
  });
  const deltas: AsyncGenerator<ChatDelta, void, undefined> = result.deltas;
  try {
    for await (const delta of deltas) {
      if (res.destroyed) break;
      for (const chunk of encode(delta)) res.write(`data: ${JSON.stringify(chunk)}\n\n`);
    }
    if (!res.destroyed) res.end("data: [DONE]\n\n");
  } catch (error) {
    if (!res.destroyed) res.end(`data: ${JSON.stringify({ error: errorBody(error).body.error.message })}\n\n`);
  } finally {
    await deltas.return(undefined);
  }
}

const tzFeedbackSchema = z.object({
  metric_name: z.string().min(1, "metric_name is required"),
  inference_id: z.uuid().nullish(),
  episode_id: z.uuid().nullish(),
  value: z.unknown(),
  tags: z.record(z.string(), z.string()).nullish(),
  dryrun: z.boolean().nullish(),
  internal: z.boolean().nullish(),
});

/** A demonstration as TensorZero sends it (content blocks, or a JSON function's object) in our form. */
function demonstration(value: unknown): unknown {
  if (Array.isArray(value)) {
    const blocks = value as {
      type?: unknown;
      text?: unknown;
      id?: unknown;
      name?: unknown;
      arguments?: unknown;
      raw_arguments?: unknown;
    }[];
    const text = blocks.filter((b) => b?.type === "text" && typeof b.text === "string").map((b) => b.text as string);
    const calls = blocks
      .filter((b) => b?.type === "tool_call")
      .map((b, i) => ({
        id: typeof b.id === "string" && b.id ? b.id : `call_${i}`,
        type: "function" as const,
        function: {
          name: typeof b.name === "string" ? b.name : "",
          arguments: typeof b.raw_arguments === "string" ? b.raw_arguments : JSON.stringify(b.arguments ?? {}),
        },
      }));
    return { content: text.length ? text.join("") : null, ...(calls.length ? { tool_calls: calls } : {}) };
  }
  if (value !== null && typeof value === "object") return JSON.stringify(value);
  return value;
}

async function feedback(gateway: Gateway, ctx: RequestContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = tzFeedbackSchema.parse(await readJson(req, gateway.config.gateway.max_body_bytes));
  const ours = {
    metric_name: body.metric_name,
    ...(body.inference_id ? { inference_id: body.inference_id } : {}),
    ...(body.episode_id ? { episode_id: body.episode_id } : {}),
    value: body.metric_name === "demonstration" ? demonstration(body.value) : body.value,
    ...(body.tags && Object.keys(body.tags).length ? { tags: body.tags } : {}),
  };
  if (body.dryrun) {
    // Checked like any feedback, then not stored (TensorZero's dryrun).
    checkFeedback(gateway.config, ours);
    sendJson(res, 200, { feedback_id: uuidAt(Date.now()) });
    return;
  }
  const id = await recordFeedback({ clickhouse: gateway.clickhouse, config: gateway.config }, ours, {
    sentBy: sentByOf(ctx.caller),
    waitForTargetMs: gateway.config.recorder.flush_ms + 2_000,
    flushLocal: () => gateway.recorder.flush(),
  }).catch((error: unknown) => {
    if (error instanceof AppError || error instanceof z.ZodError) throw error;
    throw new AppError(
      "unavailable",
      `the inference log (ClickHouse) is unavailable: ${error instanceof Error ? error.message : String(error)}`,
    );
  });
  sendJson(res, 200, { feedback_id: id });
}

/** Readiness: the gateway answers and ClickHouse (the log) does within 5 s (a loaded embedded engine can take over 1 s). */
async function health(gateway: Gateway, res: ServerResponse): Promise<void> {
  const ping = await Promise.race([
    gateway.clickhouse.ping().then((r) => r.success),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 5_000).unref()),
  ]).catch(() => false);
  sendJson(res, ping ? 200 : 503, { gateway: "ok", clickhouse: ping ? "ok" : "error" });
}

export async function handleTensorZeroRequest(
  getGateway: () => Promise<Gateway>,
  path: TensorZeroPath,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  try {
    const method = TENSORZERO_METHODS[path];
    if (req.method !== method) {
      res.setHeader("allow", method);
      throw new AppError("method_not_allowed", `${path} takes ${method}, not ${clip(req.method ?? "", 40)}`);
    }
    if (path === "/status") return sendJson(res, 200, { status: "ok" });
    const gateway = await getGateway();
    const ctx = await gatewayContext(gateway, req, gatewayAccess(path));
    switch (path) {
      case "/inference":
        return await inference(gateway, req, res);
      case "/feedback":
        return await feedback(gateway, ctx, req, res);
      case "/health":
        return await health(gateway, res);
    }
  } catch (error) {
    sendTzError(res, error);
  }
}
