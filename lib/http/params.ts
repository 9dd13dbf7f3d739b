import { z } from "zod";
import { BadRequestError } from "./errors";
import { badTextOf } from "./json-input";
import { clip } from "./clip";

/**
 * Dynamic path segments. Next 16 decodes each segment once before it reaches a page or a route
 * handler (`%25` arrives as `%`, `a%2Fb` as `a/b`); a segment it cannot decode (`%ZZ`) never
 * reaches them (proxy.ts answers it). So a segment is never decoded again here: decoding twice
 * turns `%2541` into `A`. Catch-all segments arrive as arrays and are joined with `/`.
 */
export const MAX_SEGMENT_LENGTH = 1_000;

type Params = Readonly<Record<string, string | string[] | undefined>>;

/** A segment's text as Next passed it (for pages, which render their own not-found). */
export function segmentValue(raw: string | string[] | undefined): string {
  return Array.isArray(raw) ? raw.join("/") : (raw ?? "");
}

/** Throws a 400 naming the segment when it is too long or holds text the stores cannot hold. */
function checkSegment(name: string, value: string): void {
  const problem = badTextOf(value);
  if (problem) throw new BadRequestError(`Invalid path: ${name}: ${problem}`);
  if (value.length > MAX_SEGMENT_LENGTH) {
    throw new BadRequestError(
      `Invalid path: ${name} "${clip(value, 40)}" is ${value.length.toLocaleString("en-US")} characters long; at most ${MAX_SEGMENT_LENGTH}`,
    );
  }
}

/** Every segment checked once, in route(), before its `params` schema parses them. */
export function checkPathParams<P extends Params>(params: P): P {
  for (const [name, value] of Object.entries(params)) {
    for (const part of Array.isArray(value) ? value : [value ?? ""]) checkSegment(name, part);
  }
  return params;
}

/** A required segment, checked, as text (for handlers outside route(): the MLflow artifact paths). */
export function pathParam(params: Params, name: string): string {
  const value = segmentValue(params[name]);
  if (!value) throw new BadRequestError(`Invalid path: missing ${name}`);
  checkSegment(name, value);
  return value;
}

/**
 * Zod schemas for a route's `params` (route() parses them once, with the query and the body):
 * `params: z.object({ name: segment, version: wholeNumberSegment })`.
 */
export const segment = z.union([z.string(), z.array(z.string())]).transform((raw, ctx) => {
  const value = segmentValue(raw);
  const problem = !value
    ? "missing"
    : (badTextOf(value) ?? (value.length > MAX_SEGMENT_LENGTH ? `at most ${MAX_SEGMENT_LENGTH} characters` : undefined));
  if (problem) ctx.addIssue({ code: "custom", message: problem });
  return value;
});

/** A segment that must be a whole number (a version, a claim id). */
export const wholeNumberSegment = segment.pipe(
  z
    .string()
    .regex(/^\d{1,15}$/, "must be a whole number")
    .transform(Number),
);
