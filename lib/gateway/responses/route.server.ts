import "server-only";
import type { IncomingMessage, ServerResponse } from "node:http";
import { AppError } from "@/lib/http/errors";
import { parseTraceparent } from "@/lib/traces/ids";
import { findTurn } from "@/lib/inference/lookups.server";
import type { ChatMessage, ChatOutput, Usage } from "../chat";
import type { Gateway, InferenceInput } from "../gateway.server";
import { cacheHeader, clientSignal, COST_HEADER, header, metaHeaders, readJson, sendJson } from "../http.server";
import { costHeader } from "../pricing";
import { parseModelField } from "../wire";
import { chatParams, inputMessages, responsesRequestSchema } from "./request";
import { chatToItems, type NativeResponsesBody } from "./native";
import { inferenceIdOf, nativeResponse, relayEvent, responseObject, ResponseStream, type ResponseMeta } from "./response";

/**
 * `POST /openai/v1/responses` on the chat path: the request is translated to a chat inference
 * (function or model, variants, fallbacks, cache and recording as for chat completions) and the
 * answer back to a Response or its typed event stream. `previous_response_id` continues a
 * recorded inference: its messages and answer come first, in its episode, on its variant, with
 * its template variables unless new ones are given; its `instructions` are not carried over.
 */
export async function responses(gateway: Gateway, req: IncomingMessage, res: ServerResponse, apiKey?: string): Promise<void> {
  const raw = (await readJson(req, gateway.config.gateway.max_body_bytes)) as Record<string, unknown>;
  const body = responsesRequestSchema.parse(raw);
  const target = parseModelField(body.model);
  const params = chatParams(body);
  let messages = inputMessages(body.input);
  const llmops = body.llmops;
  let variables = llmops?.variables;
  let episodeId = llmops?.episode_id ?? header(req, "x-llmops-episode-id");
  let variant = llmops?.variant ?? header(req, "x-llmops-variant");
  // The client's own body for providers that speak Responses natively (responses/native.ts).
  const { llmops: _l, previous_response_id: _p, stream: _s, input: rawInput, ...rest } = raw;
  const native: NativeResponsesBody = {
    ...rest,
    input: typeof rawInput === "string" ? [{ role: "user", content: rawInput }] : Array.isArray(rawInput) ? rawInput : [],
  };
  if (body.previous_response_id) {
    const previous = await previousTurn(gateway, body.previous_response_id);
    native.input = [...chatToItems(previous.messages), ...native.input];
    messages = [...previous.messages, ...messages];
    variables ??= previous.variables;
    episodeId ??= previous.episodeId;
    if ("functionName" in target && target.functionName === previous.functionName) variant ??= previous.variantName;
  }
  if (episodeId && !inferenceIdOf(episodeId)) throw new AppError("bad_request", `x-llmops-episode-id: "${episodeId}" is not a UUID`);
  if ("modelName" in target && variant)
    throw new AppError("bad_request", "a variant can only be pinned when calling a function (model: function::NAME)");
  const input: InferenceInput = {
    ...target,
    messages,
    instructions: body.instructions ?? undefined,
    params,
    variables,
    variant,
    episodeId,
    tags: llmops?.tags,
    dryrun: llmops?.dryrun,
    cache: llmops?.cache ?? cacheHeader(header(req, "x-llmops-cache")),
    trace: parseTraceparent(header(req, "traceparent")) ?? undefined,
    responses: native,
  };
  const signal = clientSignal(req, res);
  const createdAt = Math.floor(Date.now() / 1000);
  if (body.stream) {
    const result = await gateway.inferStream(input, { signal, apiKey });
    const meta: ResponseMeta = { inferenceId: result.inferenceId, model: body.model, createdAt, request: body };
    res.writeHead(200, {
      trailer: COST_HEADER,
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache",
      connection: "keep-alive",
      "x-accel-buffering": "no",
      ...metaHeaders(result),
    });
    const events = new ResponseStream(meta);
    const send = (event: Record<string, unknown>) => res.write(`event: ${String(event.type)}\ndata: ${JSON.stringify(event)}\n\n`);
    // A native upstream's events are relayed (its response.created first); else they are built here.
    let started = false;
    const output: ChatOutput = { content: null, finish_reason: "stop" };
    let text = "";
    try {
      for await (const delta of result.deltas) {
        if (res.destroyed) break;
        if (delta.usage?.cost !== undefined) res.addTrailers({ [COST_HEADER]: costHeader(delta.usage.cost) });
        if (delta.event) {
          started = true;
          send(relayEvent(meta, delta.event, delta.usage));
          events.follow(delta.event.sequence_number);
          continue;
        }
        if (!started) for (const event of events.start()) send(event);
        started = true;
        if (delta.content) text += delta.content;
        let final: { output: ChatOutput; usage: Usage } | undefined;
        if (delta.finish_reason) {
          const usage = delta.usage ?? { input_tokens: 0, output_tokens: 0 };
          final = { output: { ...output, content: text || null, finish_reason: delta.finish_reason }, usage };
        }
        for (const event of events.delta(delta, final)) send(event);
      }
      if (!res.destroyed) res.end();
    } catch (error) {
      if (!res.destroyed) {
        const app = error instanceof AppError ? error : new AppError("bad_gateway", String(error));
        send(events.error(app.code, app.message));
        res.end();
      }
    } finally {
      await result.deltas.return(undefined);
    }
    return;
  }
  const result = await gateway.infer(input, { signal, apiKey });
  const meta: ResponseMeta = { inferenceId: result.inferenceId, model: body.model, createdAt, request: body };
  const answer = result.native
    ? nativeResponse(meta, result.native, result.usage)
    : responseObject(meta, { output: result.output, usage: result.usage });
  sendJson(res, 200, answer, metaHeaders(result, result.usage));
}

interface PreviousTurn {
  messages: ChatMessage[];
  variables?: Record<string, unknown>;
  episodeId: string;
  functionName: string;
  variantName: string;
}

/** The recorded inference a response id names, as the conversation so far (a 404 if there is none). */
async function previousTurn(gateway: Gateway, previousId: string): Promise<PreviousTurn> {
  const id = inferenceIdOf(previousId);
  const notFound = () =>
    new AppError("not_found", `Previous response with id '${previousId}' not found.`, { field: "previous_response_id" });
  if (!id) throw notFound();
  // The id is a UUIDv7: its first 48 bits are the inference's start, which is its row's timestamp.
  const ms = parseInt(id.replaceAll("-", "").slice(0, 12), 16);
  // Within a minute either side of it: [ms - 60 s, ms + 60 s] (the window's end is exclusive).
  const read = () => findTurn(gateway.clickhouse, id, { from: ms - 60_000, to: ms + 60_001 });
  let row = await read().catch((error: unknown) => {
    throw new AppError(
      "unavailable",
      `the inference log (ClickHouse) is unavailable: ${error instanceof Error ? error.message : String(error)}`,
    );
  });
  if (!row) {
    // Answered a moment ago by this instance: its row may still wait in the recorder.
    await gateway.recorder.flush().catch(() => undefined);
    row = await read();
  }
  if (!row) throw notFound();
  if (row.status !== "ok")
    throw new AppError("bad_request", `Previous response with id '${previousId}' failed; it cannot be continued.`, {
      field: "previous_response_id",
    });
  const input = JSON.parse(row.input) as { messages?: ChatMessage[]; variables?: Record<string, unknown> };
  const output = JSON.parse(row.output) as ChatOutput;
  const answer: ChatMessage = {
    role: "assistant",
    content: output.content ?? null,
    ...(output.tool_calls?.length ? { tool_calls: output.tool_calls } : {}),
  };
  return {
    messages: [...(input.messages ?? []), answer],
    variables: input.variables,
    episodeId: row.episode_id,
    functionName: row.function_name,
    variantName: row.variant_name,
  };
}
