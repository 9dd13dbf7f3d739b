import { Agent, errors as undiciErrors, request, type Dispatcher } from "undici";
import { abortError, UpstreamError } from "./types";

/**
 * HTTP plumbing shared by the OpenAI and Anthropic providers: one keep-alive undici Agent per
 * provider, JSON POSTs whose failures become UpstreamErrors (status, Retry-After, body), and an
 * SSE reader that yields `data:` payloads of a streamed body.
 */
export function keepAliveAgent(): Agent {
  return new Agent({ keepAliveTimeout: 30_000, keepAliveMaxTimeout: 600_000, connections: 256, pipelining: 1 });
}

export interface PostOptions {
  agent: Dispatcher;
  url: string;
  headers: Record<string, string>;
  body: unknown;
  signal: AbortSignal;
  providerName: string;
}

const MAX_ERROR_BODY = 8 * 1024;

function retryAfterMs(header: string | string[] | undefined): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : undefined;
}

/** Extracts a readable message from an upstream error body (OpenAI's and Anthropic's shapes). */
function upstreamMessage(body: string): string {
  try {
    const parsed = JSON.parse(body) as { error?: { message?: unknown } | string; message?: unknown };
    if (typeof parsed.error === "string") return parsed.error;
    if (parsed.error && typeof parsed.error.message === "string") return parsed.error.message;
    if (typeof parsed.message === "string") return parsed.message;
  } catch {
    // not JSON
  }
  return body.slice(0, 300);
}

/** POSTs JSON; resolves with the response once a 2xx status and headers are in. */
export async function postJson(options: PostOptions): Promise<Dispatcher.ResponseData> {
  let response: Dispatcher.ResponseData;
  try {
    response = await request(options.url, {
      method: "POST",
      dispatcher: options.agent,
      headers: { "content-type": "application/json", ...options.headers },
      body: JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (error) {
    throw toUpstreamError(error, options.signal, options.providerName);
  }
  if (response.statusCode >= 200 && response.statusCode < 300) return response;
  let text = "";
  try {
    text = (await response.body.text()).slice(0, MAX_ERROR_BODY);
  } catch {
    // the body broke too; the status says enough
  }
  throw new UpstreamError(
    `${options.providerName}: HTTP ${response.statusCode}${text ? `: ${upstreamMessage(text)}` : ""}`,
    "http",
    response.statusCode,
    retryAfterMs(response.headers["retry-after"]),
    text,
  );
}

export function toUpstreamError(error: unknown, signal: AbortSignal, providerName: string): UpstreamError {
  if (signal.aborted) return abortError(signal);
  if (error instanceof UpstreamError) return error;
  if (error instanceof undiciErrors.UndiciError) return new UpstreamError(`${providerName}: ${error.message}`, "network");
  return new UpstreamError(`${providerName}: ${error instanceof Error ? error.message : String(error)}`, "network");
}

/** Reads a body as text, mapping a broken connection or an abort to UpstreamError. */
export async function readText(body: Dispatcher.ResponseData["body"], signal: AbortSignal, providerName: string): Promise<string> {
  try {
    return await body.text();
  } catch (error) {
    throw toUpstreamError(error, signal, providerName);
  }
}

/** Yields the `data:` payload of each server-sent event (multi-line data joined by newlines). */
export async function* sseData(
  body: AsyncIterable<Buffer | string>,
  signal: AbortSignal,
  providerName: string,
): AsyncGenerator<{ event?: string; data: string }> {
  const decoder = new TextDecoder();
  let buffer = "";
  let event: string | undefined;
  let data: string[] = [];
  try {
    for await (const chunk of body) {
      buffer += typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true });
      let newline: number;
      while ((newline = buffer.search(/\r?\n/)) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(buffer[newline] === "\r" ? newline + 2 : newline + 1);
        if (line === "") {
          if (data.length > 0) yield { event, data: data.join("\n") };
          event = undefined;
          data = [];
        } else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
        else if (line.startsWith("event:")) event = line.slice(6).trim();
      }
    }
  } catch (error) {
    throw toUpstreamError(error, signal, providerName);
  }
  if (data.length > 0) yield { event, data: data.join("\n") };
}
