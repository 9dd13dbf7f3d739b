import "server-only";
import { z } from "zod";
import { requestContext, type RequestContext } from "@/lib/auth/context.server";
import type { Access } from "@/lib/auth/roles";
import { StoreUnavailableError } from "@/lib/stores/errors";
import { trackingContextOf, type TrackingContext } from "@/lib/tracking/context";
import { clipMessage } from "@/lib/http/clip";
import { checkText, InputError, jsonContentTypeProblem, parseJsonInput, readRequestText } from "@/lib/http/json-input";
import { invalidParameter, type MlflowError } from "@/lib/stores/mlflow-errors";
import { toMlflowErrorBody } from "./errors";
import { describeRequestIssue } from "./fields";

export type MlflowMethod = "GET" | "POST" | "PATCH" | "DELETE";

/** One MLflow REST endpoint with its types erased, so that a table can hold them all. */
export interface Endpoint {
  /** The request message's schema (the fuzz suite builds requests from it). */
  readonly request: z.ZodObject;
  /** Repeated fields, read from a query string as repeated keys (`run_ids=a&run_ids=b`) or `key[]`. */
  readonly repeated: ReadonlySet<string>;
  readonly maxBodyBytes: number;
  run(ctx: TrackingContext, raw: Record<string, unknown>, bodyBytes: number): Promise<unknown>;
}

const DEFAULT_MAX_BODY_BYTES = 20 * 1024 * 1024;
const checkResponses = process.env.NODE_ENV !== "production";

function isRepeated(schema: z.core.$ZodType): boolean {
  if (schema instanceof z.ZodArray) return true;
  if (schema instanceof z.ZodOptional || schema instanceof z.ZodDefault) return isRepeated(schema.unwrap());
  return false;
}

/**
 * Defines an endpoint: `request` is the MLflow request message (unknown fields are ignored, as
 * MLflow's parser does), `response` its reply, checked in development and tests so a handler
 * cannot drift from the wire format.
 */
export function endpoint<S extends z.ZodObject, R extends z.ZodType>(spec: {
  request: S;
  response: R;
  maxBodyBytes?: number;
  handle(args: { ctx: TrackingContext; input: z.output<S>; bodyBytes: number }): Promise<z.input<R>>;
}): Endpoint {
  return {
    request: spec.request,
    repeated: new Set(
      Object.entries(spec.request.shape)
        .filter(([, field]) => isRepeated(field))
        .map(([name]) => name),
    ),
    maxBodyBytes: spec.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    async run(ctx, raw, bodyBytes) {
      const parsed = await spec.request.safeParseAsync(raw);
      if (!parsed.success) {
        const [issue] = parsed.error.issues;
        throw invalidParameter(issue ? describeRequestIssue(issue, raw) : "Invalid request.");
      }
      const result = await spec.handle({ ctx, input: parsed.data, bodyBytes });
      if (checkResponses) spec.response.parse(result);
      return result;
    },
  };
}

function fromQuery(params: URLSearchParams, repeated: ReadonlySet<string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const rawKey of new Set(params.keys())) {
    checkText(rawKey, "a query parameter name");
    for (const value of params.getAll(rawKey)) checkText(value, rawKey);
    const key = rawKey.replace(/\[\d*\]$/, "");
    if (repeated.has(key)) out[key] = [...((out[key] as string[] | undefined) ?? []), ...params.getAll(rawKey)];
    else out[key] = params.get(rawKey);
  }
  return out;
}

/** MLflow's wording for what the shared JSON reader found wrong. */
export function inputErrorToMlflow(error: InputError): MlflowError {
  if (error.problem === "bad_text" && error.field) {
    return invalidParameter(`Invalid value for parameter '${error.field}' supplied: it ${error.detail}.`);
  }
  if (error.problem === "invalid_json") return invalidParameter(`Request body is ${error.detail}`);
  return invalidParameter(`Invalid request body: ${error.message}.`);
}

/**
 * Reads the request message as MLflow's `_get_request_message` does: the query string for GET,
 * else the JSON body only (an empty body is `{}`), never the query string, so a plain HTML form
 * POST or DELETE with `?run_id=…` cannot act. A body needs content-type application/json.
 */
async function readMessage(req: Request, endpoint: Endpoint): Promise<{ raw: Record<string, unknown>; bodyBytes: number }> {
  try {
    if (req.method === "GET") return { raw: fromQuery(new URL(req.url).searchParams, endpoint.repeated), bodyBytes: 0 };
    const type = req.headers.get("content-type");
    // MLflow's own words (mlflow/server/validation.py), checked before the body is read.
    if (jsonContentTypeProblem(type, false)) throw invalidParameter("Bad Request. Content-Type must be one of ['application/json'].");
    const text = await readRequestText(req, endpoint.maxBodyBytes);
    const bodyBytes = Buffer.byteLength(text);
    if (!text.trim()) return { raw: {}, bodyBytes };
    if (!type) throw invalidParameter("Bad Request. Content-Type header is missing.");
    let body = parseJsonInput(text);
    // Older clients post their JSON double-encoded as a string; MLflow decodes it a second time.
    if (typeof body === "string") body = parseJsonInput(body);
    if (body === null || typeof body !== "object" || Array.isArray(body)) {
      throw invalidParameter("Request body must be a JSON object.");
    }
    return { raw: body as Record<string, unknown>, bodyBytes };
  } catch (error) {
    throw error instanceof InputError ? inputErrorToMlflow(error) : error;
  }
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}

export function errorResponse(error: unknown): Response {
  if (error instanceof StoreUnavailableError) {
    return json(503, { error_code: "TEMPORARILY_UNAVAILABLE", message: clipMessage(error.message) });
  }
  const { status, body } = toMlflowErrorBody(error);
  return json(status, body);
}

/**
 * Runs an endpoint against the given stores; the route handlers and the tests share this path.
 * `done` sees the request message once the endpoint succeeded (the audit entry of a write).
 */
export async function invokeEndpoint(
  endpoint: Endpoint,
  req: Request,
  ctx: TrackingContext,
  done?: (raw: Record<string, unknown>) => Promise<void>,
): Promise<Response> {
  try {
    const { raw, bodyBytes } = await readMessage(req, endpoint);
    const result = await endpoint.run(ctx, raw, bodyBytes);
    await done?.(raw);
    return json(200, result);
  } catch (error) {
    return errorResponse(error);
  }
}

/**
 * Who may call an MLflow path: reads (GET, and the POST searches and lookups) need the viewer role
 * or the tracking scope, everything else the tracking scope or the editor role.
 */
export function mlflowAccess(path: string, method: string): Access {
  return method === "GET" || /(\/search|get-history[\w-]*|get-latest-versions|get-download-uri)$/.test(path) ? "tracking-read" : "tracking";
}

/** The audit log's name for an MLflow call: `mlflow.runs.delete`, `mlflow.registered-models.alias.delete`. */
export function mlflowAction(path: string, method: string): string {
  const name = `mlflow.${path
    .replace(/^\//, "")
    .replace(/\/\{[^}]+\}/g, "")
    .replaceAll("/", ".")}`;
  return method === "POST" || method === "PUT" ? name : `${name}.${method.toLowerCase()}`;
}

const TARGET_FIELDS = [
  ["run_id", "run"],
  ["run_uuid", "run"],
  ["experiment_id", "experiment"],
  ["model_id", "logged_model"],
  ["request_id", "trace"],
  ["trace_id", "trace"],
  ["name", "registered_model"],
] as const;

function targetOf(raw: Record<string, unknown>, path: string): { kind: string; id: string } {
  for (const [field, kind] of TARGET_FIELDS) {
    const value = raw[field];
    if (typeof value === "string" || typeof value === "number") {
      const named = field === "name" && path.startsWith("/experiments") ? "experiment" : kind;
      const version = raw.version;
      return { kind: named, id: typeof version === "string" || typeof version === "number" ? `${value}/${version}` : String(value) };
    }
  }
  return { kind: "path", id: path };
}

/**
 * A Next.js route handler for one MLflow endpoint: the request context (caller, stores, audit)
 * first, then the message; a write is recorded in the audit log with its request message.
 */
export const mlflowHandler = (endpoint: Endpoint, path: string, method: string) => {
  const access = mlflowAccess(path, method);
  const action = mlflowAction(path, method);
  const guarded = guardMlflow<undefined>(access, (req, _route, ctx) =>
    invokeEndpoint(
      endpoint,
      req,
      trackingContextOf(ctx),
      access === "tracking" ? (raw) => ctx.audit.record({ action, target: targetOf(raw, path), after: raw }) : undefined,
    ),
  );
  return Object.assign((req: Request) => guarded(req, undefined), { access });
};

/**
 * The front door of every MLflow handler (the endpoint table's, and the raw ones: artifacts,
 * traces, multipart uploads): the caller is checked before the handler runs, which gets the
 * request context after Next's route context (its params); a write that succeeded and recorded
 * nothing itself gets an audit entry naming the request, as in route().
 */
export function guardMlflow<R = unknown>(
  access: Access | ((req: Request) => Access),
  handler: (req: Request, route: R, ctx: RequestContext) => Promise<Response>,
): ((req: Request, route: R) => Promise<Response>) & { access: Access | ((req: Request) => Access) } {
  const guarded = async (req: Request, route: R) => {
    let ctx: RequestContext;
    const needed = typeof access === "function" ? access(req) : access;
    try {
      ctx = await requestContext(req, needed);
    } catch (error) {
      return errorResponse(error);
    }
    const res = await handler(req, route, ctx);
    if (needed === "tracking" && res.status < 400 && ctx.audit.count === 0) {
      const { pathname } = new URL(req.url);
      await ctx.audit.record({ action: `mlflow.${req.method.toLowerCase()}`, target: { kind: "path", id: pathname } });
    }
    return res;
  };
  return Object.assign(guarded, { access });
}
