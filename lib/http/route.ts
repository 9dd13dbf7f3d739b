import "server-only";
import { NextResponse, type NextRequest } from "next/server";
import { type z } from "zod";
import { AppError, toErrorBody } from "./errors";
import { checkText, InputError, jsonContentTypeProblem, parseJsonInput, readRequestText } from "./json-input";
import { checkPathParams } from "./params";
import { requestContext, type RequestContext } from "@/lib/auth/context.server";
import { isStateChanging } from "@/lib/auth/csrf";
import type { Access } from "@/lib/auth/roles";

const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
const checkResponses = process.env.NODE_ENV !== "production";

interface RouteSpec<Q extends z.ZodType, B extends z.ZodType, R extends z.ZodType, P extends z.ZodType> {
  /** Who may call it (lib/auth/roles.ts): checked before anything is read. Every route names one. */
  access: Access;
  /** A POST that changes nothing (a preview): no audit entry. */
  readOnly?: boolean;
  /** The dynamic path segments (lib/http/params.ts: `segment`, `wholeNumberSegment`). */
  params?: P;
  query?: Q;
  body?: B;
  /** Checked in development and tests, so a handler cannot drift from its documented shape. */
  response?: R;
  maxBodyBytes?: number;
  handler: (ctx: {
    req: NextRequest;
    query: z.output<Q>;
    body: z.output<B>;
    params: z.output<P>;
    ctx: RequestContext;
  }) => Promise<z.input<R> | Response>;
}

/** An InputError in this surface's words: 413 for size, else 400 naming the field. */
export function inputErrorToApp(error: InputError, where: string): AppError {
  if (error.problem === "too_large") return new AppError("payload_too_large", `Body too large: ${error.message}`);
  return new AppError("bad_request", `Invalid ${where}: ${error.message}`, error.field ? { field: error.field } : undefined);
}

/** Parses the JSON body with size and depth bounds, turning each failure into a 4xx that says what is wrong. */
export async function readJsonBody(req: Request, maxBytes = DEFAULT_MAX_BODY_BYTES): Promise<unknown> {
  const type = req.headers.get("content-type");
  const checkType = (hasBody: boolean) => {
    const problem = jsonContentTypeProblem(type, hasBody);
    if (problem) throw new AppError("unsupported_media_type", `Unsupported media type: ${problem}`);
  };
  // A wrong type is refused before the body is read; a missing one only when a body came.
  checkType(false);
  try {
    const text = await readRequestText(req, maxBytes);
    checkType(text.length > 0);
    return parseJsonInput(text);
  } catch (error) {
    throw error instanceof InputError ? inputErrorToApp(error, "body") : error;
  }
}

/** The query string as a flat object, each key and value checked for text the stores cannot hold. */
function readQuery(req: NextRequest): Record<string, string> {
  try {
    for (const [key, value] of req.nextUrl.searchParams) {
      checkText(key, "a parameter name");
      checkText(value, key);
    }
  } catch (error) {
    throw error instanceof InputError ? inputErrorToApp(error, "query string") : error;
  }
  return Object.fromEntries(req.nextUrl.searchParams);
}

/** The one wrapper for our JSON route handlers: parse with zod, call lib, map errors. */
export function route<
  Q extends z.ZodType = z.ZodUndefined,
  B extends z.ZodType = z.ZodUndefined,
  R extends z.ZodType = z.ZodUnknown,
  P extends z.ZodType = z.ZodUndefined,
>(spec: RouteSpec<Q, B, R, P>) {
  const handle = async (req: NextRequest, context: { params: Promise<Record<string, string | string[]>> }) => {
    try {
      const ctx = await requestContext(req, spec.access);
      const segments = checkPathParams((await context?.params) ?? {});
      const params = spec.params ? await parseOrThrow(spec.params, segments, "path") : undefined;
      const query = spec.query ? await parseOrThrow(spec.query, readQuery(req), "query string") : undefined;
      const body = spec.body ? await parseOrThrow(spec.body, await readJsonBody(req, spec.maxBodyBytes), "body") : undefined;
      const result = await spec.handler({
        req,
        query: absentAsUndefined<Q>(query),
        body: absentAsUndefined<B>(body),
        params: params as z.output<P>,
        ctx,
      });
      const status = result instanceof Response ? result.status : 200;
      // Every state change is in the audit log: handlers record what changed (before/after);
      // one that recorded nothing gets an entry naming the request.
      if (isStateChanging(req.method) && !spec.readOnly && status < 400 && ctx.audit.count === 0) {
        await ctx.audit.record({
          action: `http.${req.method.toLowerCase()}`,
          target: { kind: "path", id: req.nextUrl.pathname },
          after: body ?? null,
        });
      }
      if (result instanceof Response) return result;
      if (spec.response && checkResponses) spec.response.parse(result);
      return NextResponse.json(result);
    } catch (error) {
      const { status, body } = toErrorBody(error);
      return NextResponse.json(body, { status });
    }
  };
  // The schemas ride along so the fuzz suite can build malformed requests field by field.
  return Object.assign(handle, { schemas: { params: spec.params, query: spec.query, body: spec.body }, access: spec.access });
}

/**
 * A route without a params, query or body schema gets `undefined`, which is exactly `z.output` of the
 * default `z.ZodUndefined` type parameter; TypeScript cannot see that through the conditional.
 */
function absentAsUndefined<T extends z.ZodType>(value: unknown): z.output<T> {
  return value as z.output<T>;
}

async function parseOrThrow<T extends z.ZodType>(schema: T, value: unknown, where: string): Promise<z.output<T>> {
  const result = await schema.safeParseAsync(value);
  if (result.success) return result.data;
  const { body } = toErrorBody(result.error, where);
  throw new AppError("bad_request", body.error.message, body.error.issues);
}
