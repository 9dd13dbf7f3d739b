import type { z } from "zod";

/**
 * The header every state-changing request from the dashboard carries. A page on another origin
 * cannot set it without a CORS preflight (which the server does not grant), so a cookie-signed
 * request without it is refused: that closes form-POST and `no-cors` CSRF.
 */
export const CSRF_HEADER = "x-llmops-csrf";

/** `init` with the CSRF header added when its method changes state (anything but GET and HEAD). */
export function withCsrf(init: RequestInit = {}): RequestInit {
  const method = (init.method ?? "GET").toUpperCase();
  if (method === "GET" || method === "HEAD") return init;
  const headers = new Headers(init.headers);
  headers.set(CSRF_HEADER, "1");
  return { ...init, headers };
}

/**
 * Fetches JSON and parses it with `schema`. An API error body `{ error: { message } }` becomes
 * an Error carrying that message, so error states can say what failed.
 */
export async function fetchJson<S extends z.ZodType>(
  url: string,
  schema: S,
  options: { init?: RequestInit; acceptStatuses?: number[] } = {},
): Promise<z.output<S>> {
  const init = withCsrf(options.init);
  const headers = new Headers(init.headers);
  if (!headers.has("accept")) headers.set("accept", "application/json");
  const res = await fetch(url, { ...init, headers });
  const body: unknown = await res.json().catch(() => undefined);
  if (!res.ok && !options.acceptStatuses?.includes(res.status)) {
    throw new ApiError(url, res.status, errorOf(body) ?? { code: undefined, message: `${res.status} ${res.statusText}` });
  }
  return schema.parse(body);
}

function errorOf(body: unknown): { code: string | undefined; message: string } | undefined {
  const error = (body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  if (!error || error.message === undefined) return undefined;
  return { code: typeof error.code === "string" ? error.code : undefined, message: String(error.message) };
}

/** A refused API call: its message keeps the old `url: message` form; status and code are for callers that branch. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string | undefined;
  readonly detail: string;
  constructor(url: string, status: number, error: { code: string | undefined; message: string }) {
    super(`${url}: ${error.message}`);
    this.name = "ApiError";
    this.status = status;
    this.code = error.code;
    this.detail = error.message;
  }
}
