import { ZodError } from "zod";
import { StoreUnavailableError } from "@/lib/stores/errors";
import { clip, clipMessage } from "./clip";

/** Every error code our JSON API can return, with its HTTP status. */
export const ERROR_STATUS = {
  bad_request: 400,
  // A guardrail (lib/guardrails) refused the input or the output.
  guardrail_blocked: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unprocessable: 422,
  rate_limited: 429,
  internal: 500,
  bad_gateway: 502,
  unavailable: 503,
  gateway_timeout: 504,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export class AppError extends Error {
  override name = "AppError";
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

export class BadRequestError extends AppError {
  constructor(message: string, details?: unknown) {
    super("bad_request", message, details);
  }
}

export class NotFoundError extends AppError {
  constructor(message: string) {
    super("not_found", message);
  }
}

export class ConflictError extends AppError {
  constructor(message: string) {
    super("conflict", message);
  }
}

export interface ErrorBody {
  error: { code: ErrorCode; message: string; issues?: { path: string; message: string }[]; details?: unknown };
}

/** `a.b[0].c: message` lines a person can act on (paths and messages clipped: they may quote input). */
export function formatZodIssues(error: ZodError): { path: string; message: string }[] {
  return error.issues.slice(0, 20).map((issue) => ({
    path: issue.path.reduce<string>(
      (acc, part) => (typeof part === "number" ? `${acc}[${part}]` : acc ? `${acc}.${clip(String(part), 60)}` : clip(String(part), 60)),
      "",
    ),
    message: clip(issue.message),
  }));
}

/** The single mapping from a thrown value to our JSON error body and status. */
export function toErrorBody(error: unknown, where = "request"): { status: number; body: ErrorBody } {
  if (error instanceof AppError) {
    return { status: error.status, body: { error: { code: error.code, message: clipMessage(error.message), details: error.details } } };
  }
  if (error instanceof ZodError) {
    const issues = formatZodIssues(error);
    const summary = issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join("; ");
    return { status: 400, body: { error: { code: "bad_request", message: clipMessage(`Invalid ${where}: ${summary}`), issues } } };
  }
  if (error instanceof StoreUnavailableError) {
    return { status: 503, body: { error: { code: "unavailable", message: clipMessage(error.message) } } };
  }
  console.error("[http] unexpected error", error);
  return { status: 500, body: { error: { code: "internal", message: "Internal error; see the server log." } } };
}
