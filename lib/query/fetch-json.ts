import type { z } from "zod";

/**
 * Fetches JSON and parses it with `schema`. An API error body `{ error: { message } }` becomes
 * an Error carrying that message, so error states can say what failed.
 */
export async function fetchJson<S extends z.ZodType>(
  url: string,
  schema: S,
  options: { init?: RequestInit; acceptStatuses?: number[] } = {},
): Promise<z.output<S>> {
  const res = await fetch(url, { ...options.init, headers: { accept: "application/json", ...options.init?.headers } });
  const body: unknown = await res.json().catch(() => undefined);
  if (!res.ok && !options.acceptStatuses?.includes(res.status)) {
    const message = (body as { error?: { message?: unknown } } | undefined)?.error?.message ?? `${res.status} ${res.statusText}`;
    throw new Error(`${url}: ${String(message)}`);
  }
  return schema.parse(body);
}
