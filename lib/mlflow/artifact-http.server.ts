import "server-only";
import type { z } from "zod";
import { artifactPath } from "@/lib/artifacts/paths";
import { clipMessage } from "@/lib/http/clip";
import { StoreUnavailableError } from "@/lib/stores/errors";
import { InputError, parseJsonInput, readRequestText } from "@/lib/http/json-input";
import { invalidParameter } from "@/lib/stores/mlflow-errors";
import { toMlflowErrorBody } from "./errors";
import { describeRequestIssue } from "./fields";
import { inputErrorToMlflow } from "./http.server";

/**
 * Helpers of the artifact proxy's route handlers (mlflow_artifacts.proto). Unlike the JSON
 * endpoints of api.server.ts these stream raw bodies, so they are plain handlers; errors still
 * answer MLflow's `{error_code, message}`.
 */
export interface PathParams {
  params: Promise<{ path?: string[] }>;
}

const MAX_JSON_BYTES = 1024 * 1024;

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });
}

/** Runs a handler, turning any thrown error into MLflow's error reply. */
export async function respond(run: () => Promise<Response>): Promise<Response> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof StoreUnavailableError)
      return json(503, { error_code: "TEMPORARILY_UNAVAILABLE", message: clipMessage(error.message) });
    const { status, body } = toMlflowErrorBody(error);
    return json(status, body);
  }
}

/** The artifact path of a `[...path]` route, confined and normalised; it must name something. */
export async function pathParam(context: PathParams): Promise<string> {
  const { path } = await context.params;
  const joined = (path ?? []).join("/");
  const normalised = artifactPath(joined);
  if (!normalised)
    throw invalidParameter("An artifact path is required after the endpoint, e.g. .../artifacts/1/<run_id>/artifacts/model.pkl.");
  return normalised;
}

/** Reads a JSON request message as MLflow's handlers do, through the shared reader (size, depth, text). */
export async function readMessage<S extends z.ZodType>(req: Request, schema: S): Promise<z.output<S>> {
  let raw: unknown = {};
  try {
    const text = await readRequestText(req, MAX_JSON_BYTES);
    if (text.trim()) {
      const type = req.headers.get("content-type");
      if (type?.split(";")[0]?.trim().toLowerCase() !== "application/json") {
        throw invalidParameter("Bad Request. Content-Type must be one of ['application/json'].");
      }
      raw = parseJsonInput(text);
    }
  } catch (error) {
    throw error instanceof InputError ? inputErrorToMlflow(error) : error;
  }
  const parsed = await schema.safeParseAsync(raw);
  if (!parsed.success) {
    const [issue] = parsed.error.issues;
    throw invalidParameter(issue ? describeRequestIssue(issue, raw) : "Invalid request.");
  }
  return parsed.data;
}

/** This server's origin as the client reached it (honouring a reverse proxy's forwarded headers). */
export function requestOrigin(req: Request): string {
  const url = new URL(req.url);
  const proto = req.headers.get("x-forwarded-proto")?.split(",")[0]?.trim() || url.protocol.replace(":", "");
  const host = req.headers.get("x-forwarded-host")?.split(",")[0]?.trim() || req.headers.get("host") || url.host;
  return `${proto}://${host}`;
}

/** An empty stream for requests without a body (an empty artifact is still an artifact). */
export const bodyOf = (req: Request): ReadableStream<Uint8Array> => req.body ?? new Blob([]).stream();
