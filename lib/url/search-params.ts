import type { z } from "zod";

/**
 * Pages keep their state (filters, sort, page, selection) in the URL so links are shareable.
 * The same zod schema parses the state on the server (to prefetch) and in the browser (to render);
 * a value that does not parse falls back to the schema's default instead of breaking the page.
 */
export type SearchInput = URLSearchParams | Record<string, string | string[] | undefined>;

function toRecord(input: SearchInput): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  const entries: [string, string][] =
    input instanceof URLSearchParams
      ? [...input.entries()]
      : Object.entries(input).flatMap(([k, v]) =>
          v === undefined ? [] : Array.isArray(v) ? v.map((x): [string, string] => [k, x]) : [[k, v]],
        );
  for (const [key, value] of entries) {
    const previous = out[key];
    out[key] = previous === undefined ? value : Array.isArray(previous) ? [...previous, value] : [previous, value];
  }
  return out;
}

/** Parses each key on its own, so one bad value only resets that key. */
export function parseSearch<S extends z.ZodObject>(schema: S, input: SearchInput): z.output<S> {
  const raw = toRecord(input);
  const whole = schema.safeParse(raw);
  if (whole.success) return whole.data;
  const kept: Record<string, unknown> = {};
  const shape: Record<string, z.ZodType> = schema.shape;
  for (const [key, field] of Object.entries(shape)) {
    if (raw[key] !== undefined && field.safeParse(raw[key]).success) kept[key] = raw[key];
  }
  return schema.parse(kept);
}

export type SearchPatch = Record<string, string | number | boolean | readonly (string | number)[] | null | undefined>;

/**
 * Applies a patch to the current query string: null/undefined/""/[] remove a key, arrays become
 * repeated keys. Keys are sorted so equal states give equal URLs (and equal query keys).
 */
export function patchSearch(current: URLSearchParams | string, patch: SearchPatch): string {
  const next = new URLSearchParams(current);
  for (const [key, value] of Object.entries(patch)) {
    next.delete(key);
    if (value === null || value === undefined || value === "") continue;
    if (Array.isArray(value)) for (const v of value) next.append(key, String(v));
    else next.set(key, String(value));
  }
  next.sort();
  return next.toString();
}
