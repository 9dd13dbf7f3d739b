import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A local stand-in for an LLM provider, started by tests and the benchmark (the only thing our
 * tests replace). Each request is answered by `behave`, which sees the parsed body and the count
 * of requests so far; helpers build OpenAI and Anthropic answers, streams and failures.
 */
export interface UpstreamRequest {
  path: string;
  headers: IncomingMessage["headers"];
  body: Record<string, unknown>;
  n: number;
  /** Set when the client closed the connection before the answer ended. */
  closedEarly: boolean;
}

export type Behaviour = (request: UpstreamRequest, res: ServerResponse) => void | Promise<void>;

export interface Upstream {
  url: string;
  requests: UpstreamRequest[];
  /** Connections closed by the client before the answer ended (a cancelled stream). */
  closedEarly: number;
  setBehaviour(behave: Behaviour): void;
  close(): Promise<void>;
}

export async function startUpstream(behave: Behaviour): Promise<Upstream> {
  let current = behave;
  const state: Upstream = {
    url: "",
    requests: [],
    closedEarly: 0,
    setBehaviour: (b) => {
      current = b;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      const request: UpstreamRequest = {
        path: req.url ?? "/",
        headers: req.headers,
        body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
        n: state.requests.length,
        closedEarly: false,
      };
      state.requests.push(request);
      res.on("close", () => {
        if (!res.writableFinished) {
          state.closedEarly += 1;
          request.closedEarly = true;
        }
      });
      void Promise.resolve(current(request, res)).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500);
        res.end(String(error));
      });
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return state;
}

export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), ...headers });
  res.end(text);
}

const lastUserText = (body: Record<string, unknown>): string => {
  const messages = (body.messages ?? []) as { role: string; content: unknown }[];
  const last = [...messages].reverse().find((m) => m.role === "user");
  if (!last) return "";
  if (typeof last.content === "string") return last.content;
  if (Array.isArray(last.content)) return last.content.map((p: { text?: string }) => p.text ?? "").join("");
  return "";
};

/** An OpenAI chat completion answering `reply(body)` (default: "upstream says: <last user>"). */
export function openaiAnswer(body: Record<string, unknown>, reply = `upstream says: ${lastUserText(body)}`) {
  return {
    id: "chatcmpl-upstream",
    object: "chat.completion",
    created: 1,
    model: body.model,
    choices: [{ index: 0, message: { role: "assistant", content: reply }, finish_reason: "stop" }],
    usage: { prompt_tokens: 11, completion_tokens: 7, total_tokens: 18 },
  };
}

export function openaiToolAnswer(body: Record<string, unknown>, name: string, args: unknown) {
  return {
    id: "chatcmpl-upstream",
    object: "chat.completion",
    created: 1,
    model: body.model,
    choices: [
      {
        index: 0,
        message: {
          role: "assistant",
          content: null,
          tool_calls: [{ id: "call_1", type: "function", function: { name, arguments: JSON.stringify(args) } }],
        },
        finish_reason: "tool_calls",
      },
    ],
    usage: { prompt_tokens: 20, completion_tokens: 9, total_tokens: 29 },
  };
}

/** Streams `pieces` as OpenAI chunks; `breakAfter` cuts the connection after that many pieces. */
export async function openaiStream(
  res: ServerResponse,
  body: Record<string, unknown>,
  pieces: string[],
  options: { breakAfter?: number; delayMs?: number } = {},
): Promise<void> {
  res.writeHead(200, { "content-type": "text/event-stream" });
  const chunk = (delta: unknown, finish: string | null = null, extra: Record<string, unknown> = {}) =>
    `data: ${JSON.stringify({ id: "chatcmpl-up", object: "chat.completion.chunk", created: 1, model: body.model, choices: [{ index: 0, delta, finish_reason: finish }], ...extra })}\n\n`;
  res.write(chunk({ role: "assistant", content: "" }));
  for (const [i, piece] of pieces.entries()) {
    if (options.delayMs) await new Promise((r) => setTimeout(r, options.delayMs));
    if (options.breakAfter !== undefined && i >= options.breakAfter) {
      res.destroy();
      return;
    }
    if (res.destroyed) return;
    res.write(chunk({ content: piece }));
  }
  res.write(chunk({}, "stop"));
  res.write(
    `data: ${JSON.stringify({ id: "chatcmpl-up", object: "chat.completion.chunk", created: 1, model: body.model, choices: [], usage: { prompt_tokens: 11, completion_tokens: pieces.length, total_tokens: 11 + pieces.length } })}\n\n`,
  );
  res.end("data: [DONE]\n\n");
}

/** An Anthropic Messages answer with text and optional tool_use blocks. */
export function anthropicAnswer(text: string, tools: { id: string; name: string; input: unknown }[] = []) {
  return {
    id: "msg_1",
    type: "message",
    role: "assistant",
    model: "claude-test",
    content: [...(text ? [{ type: "text", text }] : []), ...tools.map((t) => ({ type: "tool_use", ...t }))],
    stop_reason: tools.length ? "tool_use" : "end_turn",
    usage: { input_tokens: 13, output_tokens: 5 },
  };
}

/** Streams an Anthropic Messages answer as its SSE events. */
export function anthropicStream(res: ServerResponse, text: string[], tool?: { id: string; name: string; json: string[] }): void {
  res.writeHead(200, { "content-type": "text/event-stream" });
  const send = (event: string, data: unknown) => res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  send("message_start", {
    type: "message_start",
    message: { id: "msg_1", type: "message", role: "assistant", content: [], usage: { input_tokens: 13, output_tokens: 1 } },
  });
  send("content_block_start", { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } });
  send("ping", { type: "ping" });
  for (const t of text) send("content_block_delta", { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: t } });
  send("content_block_stop", { type: "content_block_stop", index: 0 });
  if (tool) {
    send("content_block_start", {
      type: "content_block_start",
      index: 1,
      content_block: { type: "tool_use", id: tool.id, name: tool.name, input: {} },
    });
    for (const j of tool.json)
      send("content_block_delta", { type: "content_block_delta", index: 1, delta: { type: "input_json_delta", partial_json: j } });
    send("content_block_stop", { type: "content_block_stop", index: 1 });
  }
  send("message_delta", { type: "message_delta", delta: { stop_reason: tool ? "tool_use" : "end_turn" }, usage: { output_tokens: 9 } });
  send("message_stop", { type: "message_stop" });
  res.end();
}

/** An OpenAI embeddings answer: item i of the input gets [i + 1, length of its text, 0.5] (or `dimensions` numbers). */
export function openaiEmbeddingsAnswer(body: Record<string, unknown>) {
  const input = body.input as (string | number[])[];
  const dims = typeof body.dimensions === "number" ? body.dimensions : 3;
  return {
    object: "list",
    model: body.model,
    data: input.map((item, index) => ({
      object: "embedding",
      index,
      embedding: Array.from({ length: dims }, (_, d) => (d === 0 ? index + 1 : d === 1 ? item.length : 0.5)),
    })),
    usage: { prompt_tokens: input.length * 4, total_tokens: input.length * 4 },
  };
}

/** The last user text of a Responses API request (`input` as a string or items). */
export function responsesUserText(body: Record<string, unknown>): string {
  if (typeof body.input === "string") return body.input;
  const items = (body.input ?? []) as { role?: string; content?: unknown }[];
  const last = [...items].reverse().find((i) => i.role === "user");
  if (!last) return "";
  if (typeof last.content === "string") return last.content;
  return Array.isArray(last.content) ? last.content.map((p: { text?: string }) => p.text ?? "").join("") : "";
}

const wantsLogprobs = (body: Record<string, unknown>) =>
  Array.isArray(body.include) && body.include.includes("message.output_text.logprobs");
const pieceLogprob = (token: string, i: number) => ({
  token,
  logprob: -(i + 1) / 10,
  bytes: [...Buffer.from(token)],
  top_logprobs: [],
});

/** A Responses API Response answering "native says: <last user text>" (with a reasoning item first). */
export function responsesAnswer(body: Record<string, unknown>, pieces = ["native says: ", responsesUserText(body)]) {
  const text = pieces.join("");
  return {
    id: "resp_upstream",
    object: "response",
    created_at: 1,
    status: "completed",
    error: null,
    incomplete_details: null,
    instructions: body.instructions ?? null,
    model: body.model,
    output: [
      { type: "reasoning", id: "rs_up", summary: [] },
      {
        type: "message",
        id: "msg_up",
        status: "completed",
        role: "assistant",
        content: [{ type: "output_text", text, annotations: [], logprobs: wantsLogprobs(body) ? pieces.map(pieceLogprob) : [] }],
      },
    ],
    parallel_tool_calls: true,
    tool_choice: "auto",
    tools: [],
    usage: {
      input_tokens: 21,
      input_tokens_details: { cached_tokens: 0 },
      output_tokens: 9,
      output_tokens_details: { reasoning_tokens: 4 },
      total_tokens: 30,
    },
  };
}

/** Streams a Responses answer as its typed events (a reasoning item, then the text in `pieces`). */
export function responsesStream(res: ServerResponse, body: Record<string, unknown>, pieces: string[]): void {
  res.writeHead(200, { "content-type": "text/event-stream" });
  let seq = 0;
  const send = (type: string, data: Record<string, unknown>) =>
    res.write(`event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: seq++, ...data })}\n\n`);
  const done = responsesAnswer(body, pieces);
  const progress = { ...done, status: "in_progress", output: [], usage: null };
  send("response.created", { response: progress });
  send("response.in_progress", { response: progress });
  const reasoning = done.output[0]!;
  send("response.output_item.added", { output_index: 0, item: reasoning });
  send("response.output_item.done", { output_index: 0, item: reasoning });
  const message = done.output[1] as { id: string; content: { logprobs: unknown[] }[] };
  send("response.output_item.added", { output_index: 1, item: { ...message, status: "in_progress", content: [] } });
  send("response.content_part.added", {
    item_id: message.id,
    output_index: 1,
    content_index: 0,
    part: { type: "output_text", text: "", annotations: [], logprobs: [] },
  });
  for (const [i, piece] of pieces.entries())
    send("response.output_text.delta", {
      item_id: message.id,
      output_index: 1,
      content_index: 0,
      delta: piece,
      logprobs: wantsLogprobs(body) ? [pieceLogprob(piece, i)] : [],
    });
  const part = message.content[0]!;
  send("response.output_text.done", {
    item_id: message.id,
    output_index: 1,
    content_index: 0,
    text: pieces.join(""),
    logprobs: part.logprobs,
  });
  send("response.content_part.done", { item_id: message.id, output_index: 1, content_index: 0, part });
  send("response.output_item.done", { output_index: 1, item: message });
  send("response.completed", { response: done });
  res.end();
}
