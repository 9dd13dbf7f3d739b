import { clip } from "./clip";

/**
 * The one safe reader of client JSON, shared by the three surfaces (app API, MLflow, gateway):
 * a size bound while reading, a nesting bound checked by a linear scan before JSON.parse (so a
 * 100k-deep value never reaches a recursive walker, zod or JSON.stringify), and text the stores
 * cannot hold (NUL, lone UTF-16 surrogates) rejected with its field named, or replaced with U+FFFD
 * where the caller marks the field as free text. Each surface maps InputError to its dialect.
 */
export const MAX_JSON_DEPTH = 64;

export type InputProblem = "too_large" | "too_deep" | "invalid_json" | "empty" | "bad_text";

export class InputError extends Error {
  override name = "InputError";
  constructor(
    readonly problem: InputProblem,
    /** What is wrong, without the field: "contains a NUL character …". */
    readonly detail: string,
    /** The offending field (`tags.env`, `messages[0].content`), when there is one. */
    readonly field?: string,
  ) {
    super(field ? `${field}: ${detail}` : detail);
  }
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const LONE_SURROGATES = new RegExp(LONE_SURROGATE.source, "g");

/** What is wrong with a string the stores cannot hold, or undefined. */
export function badTextOf(text: string): string | undefined {
  if (text.includes("\u0000")) return "contains a NUL character (\\u0000), which cannot be stored";
  if (LONE_SURROGATE.test(text)) return "contains a lone UTF-16 surrogate (such as \\ud800), which is not valid Unicode";
  return undefined;
}

/** Free text made storable: NUL and lone surrogates become U+FFFD (the replacement character). */
export function toStorableText(text: string): string {
  return text.replaceAll("\u0000", "\ufffd").replace(LONE_SURROGATES, "\ufffd");
}

/** Throws an InputError naming `field` when `text` cannot be stored (query values, path segments). */
export function checkText(text: string, field: string): void {
  const problem = badTextOf(text);
  if (problem) throw new InputError("bad_text", problem, clip(field, 100));
}

const HEX = /^[0-9a-fA-F]{4}$/;

/**
 * One pass over JSON text: throws when arrays and objects nest deeper than `maxDepth`, and says
 * whether an escape or raw character might decode to NUL or a lone surrogate (only then is the
 * parsed value walked). Brackets inside strings do not count.
 */
export function scanJson(text: string, maxDepth = MAX_JSON_DEPTH): { suspicious: boolean } {
  let depth = 0;
  let inString = false;
  let suspicious = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) {
        if (text.charCodeAt(i + 1) === 0x75) {
          const hex = text.slice(i + 2, i + 6);
          if (HEX.test(hex)) {
            const code = parseInt(hex, 16);
            if (code === 0 || (code >= 0xd800 && code <= 0xdfff)) suspicious = true;
          }
        }
        i++;
      } else if (c === 0x22) inString = false;
      else if (c === 0 || (c >= 0xd800 && c <= 0xdfff)) suspicious = true;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > maxDepth) {
        throw new InputError("too_deep", `the JSON nests deeper than ${maxDepth} levels (arrays and objects), the limit`);
      }
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return { suspicious };
}

export type JsonPath = readonly (string | number)[];

export const formatJsonPath = (path: JsonPath): string =>
  path.reduce<string>((acc, p) => (typeof p === "number" ? `${acc}[${p}]` : acc ? `${acc}.${clip(p, 60)}` : clip(p, 60)), "");

export interface ParseOptions {
  maxDepth?: number;
  /** Fields whose text is replaced (U+FFFD) rather than rejected, e.g. chat message content. */
  freeText?: (path: JsonPath) => boolean;
}

/** Walks a parsed value (depth already bounded) for strings and keys the stores cannot hold. */
function cleanText(value: unknown, path: (string | number)[], freeText: ParseOptions["freeText"]): unknown {
  if (typeof value === "string") {
    const problem = badTextOf(value);
    if (!problem) return value;
    if (freeText?.(path)) return toStorableText(value);
    throw new InputError("bad_text", problem, formatJsonPath(path) || undefined);
  }
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = cleanText(value[i], [...path, i], freeText);
    return value;
  }
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    const problem = badTextOf(key);
    if (problem) {
      throw new InputError("bad_text", `a key ${problem}`, formatJsonPath(path) || undefined);
    }
    record[key] = cleanText(record[key], [...path, key], freeText);
  }
  return record;
}

/** Parses client JSON text; every failure is an InputError that says what is wrong. */
export function parseJsonInput(text: string, options: ParseOptions = {}): unknown {
  if (!text.trim()) throw new InputError("empty", "expected a JSON body, got an empty one");
  const { suspicious } = scanJson(text, options.maxDepth);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new InputError("invalid_json", `not valid JSON: ${clip((error as Error).message)}`);
  }
  return suspicious ? cleanText(value, [], options.freeText) : value;
}

/**
 * The body of a web Request as text, refusing more than `maxBytes` (declared or streamed)
 * without buffering the rest. Bytes that are not UTF-8 decode to U+FFFD.
 */
export async function readRequestText(req: Request, maxBytes: number): Promise<string> {
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > maxBytes) throw new InputError("too_large", `the body of ${declared} bytes exceeds the limit of ${maxBytes} bytes`);
  if (!req.body) return "";
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new InputError("too_large", `the body exceeds the limit of ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * Whether a request's content type admits its JSON body: the media type must be exactly
 * `application/json` (parameters such as `; charset=utf-8` allowed, case-insensitive). No content
 * type is accepted only without a body. A cross-site form or `no-cors` fetch can send only
 * form, multipart or text/plain bodies without a preflight, so this closes JSON routes to them.
 * Returns what is wrong, or undefined.
 */
export function jsonContentTypeProblem(type: string | null | undefined, hasBody: boolean): string | undefined {
  const value = (type ?? "").trim();
  if (!value) return hasBody ? "the request has a body but no content-type; send content-type: application/json" : undefined;
  const media = (value.split(";")[0] ?? "").trim().toLowerCase();
  if (media === "application/json") return undefined;
  return `expected content-type: application/json, got ${clip(value, 100)}`;
}
