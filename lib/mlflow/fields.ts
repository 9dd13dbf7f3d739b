import { z } from "zod";
import { clip, QUOTE_LIMIT } from "@/lib/http/clip";

/**
 * Zod field types that read MLflow request messages as its protobuf JSON parser does: int64 as a
 * number or a numeric string, doubles also as "NaN"/"Infinity"/"-Infinity", enums by name or by
 * number, repeated fields as arrays (a query string gives them as repeated keys).
 */

/** Marks a refinement whose failure means "wrong value": reported as MLflow's invalid-value message. */
export const INVALID = "__invalid_value__";

export const str = z.string();

/** A required string: absent, null and "" all read as missing, as MLflow's `_assert_required`. */
export const requiredStr = z.string().min(1);

const INTEGER = /^-?\d+$/;

export const int64 = z
  .union([z.number().int(), z.string().regex(INTEGER)])
  .transform((v) => Number(v))
  .refine((v) => Number.isSafeInteger(v), INVALID);

const SPECIAL_DOUBLES: Record<string, number> = {
  NaN: Number.NaN,
  Infinity: Number.POSITIVE_INFINITY,
  "-Infinity": Number.NEGATIVE_INFINITY,
};
const DECIMAL = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

export const double = z
  .union([z.number(), z.string().refine((s) => s in SPECIAL_DOUBLES || DECIMAL.test(s.trim()), INVALID)])
  .transform((v) => (typeof v === "number" ? v : (SPECIAL_DOUBLES[v] ?? Number(v.trim()))));

/** An enum given by name or by its proto number; always read back as the name. */
export function protoEnum<T extends string>(names: readonly T[], numbers: Readonly<Record<number, T>>) {
  return z.union([z.string(), z.number()]).transform((v, ctx): T => {
    const byName = names.find((n) => n === v);
    if (byName) return byName;
    const byNumber = numbers[typeof v === "number" ? v : INTEGER.test(v) ? Number(v) : Number.NaN];
    if (byNumber) return byNumber;
    ctx.addIssue({ code: "custom", message: INVALID });
    return z.NEVER;
  });
}

export const repeated = <T extends z.ZodType>(item: T) => z.array(item).optional().default([]);

/** The Python type name MLflow's messages use for a JSON value. */
export function pythonTypeName(value: unknown): string {
  if (value === null || value === undefined) return "NoneType";
  if (Array.isArray(value)) return "list";
  if (typeof value === "string") return "str";
  if (typeof value === "boolean") return "bool";
  if (typeof value === "number") return Number.isInteger(value) ? "int" : "float";
  return typeof value === "object" ? "dict" : typeof value;
}

/** `json.dumps`-like rendering of a request value for error messages, clipped: it may be huge. */
export function pythonJson(value: unknown): string {
  if (value === undefined) return "null";
  if (typeof value === "string" && value.length > QUOTE_LIMIT) value = clip(value);
  return clip(JSON.stringify(value).replace(/":/g, '": ').replace(/,"/g, ', "'));
}

const SEE_DOCS = " See the API docs for more information about request parameters.";

function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (acc, part) => (typeof part === "number" ? `${acc}[${part}]` : acc ? `${acc}.${clip(String(part), 60)}` : clip(String(part), 60)),
    "",
  );
}

function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let current = raw;
  for (const part of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<PropertyKey, unknown>)[part];
  }
  return current;
}

/** MLflow's message for a request that does not fit the message schema (handlers.py wording). */
export function describeRequestIssue(issue: z.core.$ZodIssue, raw: unknown): string {
  const path = formatPath(issue.path);
  const value = valueAt(raw, issue.path);
  if (issue.code === "custom" && issue.message !== INVALID) return clip(issue.message) + SEE_DOCS;
  const missing = value === undefined || value === null || value === "";
  if (missing) {
    return `Missing value for required parameter '${path}'.${SEE_DOCS}`;
  }
  return `Invalid value ${pythonJson(value)} for parameter '${path}' supplied. Hint: Value was of type '${pythonTypeName(value)}'.${SEE_DOCS}`;
}
