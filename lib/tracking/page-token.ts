import { invalidParameter } from "@/lib/stores/mlflow-errors";

/**
 * MLflow's page tokens: base64 of `{"offset": N}`. Clients treat them as opaque; a token from an
 * MLflow server works here and vice versa. A token is only meaningful with the query that made it.
 */
export function createPageToken(offset: number): string {
  return Buffer.from(JSON.stringify({ offset })).toString("base64");
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export function parsePageToken(token: string | undefined | null): number {
  if (!token) return 0;
  if (!BASE64.test(token) || token.length % 4 === 1) throw invalidParameter("Invalid page token, could not base64-decode");
  const decoded = Buffer.from(token, "base64").toString("utf8");
  let parsed: unknown;
  try {
    parsed = JSON.parse(decoded);
  } catch {
    throw invalidParameter(`Invalid page token, decoded value=${decoded}`);
  }
  const offset = parsed !== null && typeof parsed === "object" ? (parsed as Record<string, unknown>).offset : undefined;
  if (!offset) throw invalidParameter(`Invalid page token, parsed value=${decoded}`);
  const value = Number(offset);
  if (!Number.isSafeInteger(value) || value < 0) throw invalidParameter(`Invalid page token, not stringable ${String(offset)}`);
  return value;
}

/** Slices one page from rows fetched with `limit + 1`, and makes the token for the next one. */
export function pageOf<T>(rows: T[], offset: number, limit: number): { items: T[]; nextPageToken?: string } {
  if (rows.length <= limit) return { items: rows };
  return { items: rows.slice(0, limit), nextPageToken: createPageToken(offset + limit) };
}
