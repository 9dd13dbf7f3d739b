import { AppError } from "@/lib/http/errors";
import { clip } from "@/lib/http/clip";
import { badTextOf } from "@/lib/http/json-input";

/**
 * The gateway's route table. Every path under `/openai/v1` is the gateway's (the custom server
 * sends the whole prefix here), so a path OpenAI serves and this gateway does not answers an
 * OpenAI-shaped JSON 404 naming what is served, never Next's HTML page; a served path with
 * another method is a 405 with `Allow`.
 */
export const OPENAI_BASE = "/openai/v1";

/** Exact paths and their method. */
export const ROUTE_METHODS: Record<string, string> = {
  "/openai/v1/chat/completions": "POST",
  "/openai/v1/embeddings": "POST",
  "/openai/v1/responses": "POST",
  "/openai/v1/models": "GET",
  "/api/inference": "POST",
  "/api/feedback": "POST",
  "/api/gateway/status": "GET",
  "/api/gateway/dead-letters/retry": "POST",
};

export interface RouteMatch {
  /** A key of ROUTE_METHODS, or `/openai/v1/models/{id}`. */
  route: string;
  method: string;
  /** The decoded `{id}` segment of `/openai/v1/models/{id}`. */
  id?: string;
}

export const MODEL_BY_ID = "/openai/v1/models/{id}";

const SERVED = () => [...Object.keys(ROUTE_METHODS).filter((p) => p.startsWith(OPENAI_BASE)), MODEL_BY_ID].join(", ");

/** A request path without its query string and without one trailing slash. */
export function gatewayPath(url: string): string {
  const raw = url.split("?")[0]!;
  return raw.length > 1 && raw.endsWith("/") ? raw.slice(0, -1) : raw;
}

/** The route of a path (normalised by `gatewayPath`); a 404 AppError when none. */
export function matchRoute(rawPath: string): RouteMatch {
  const path = gatewayPath(rawPath);
  const method = ROUTE_METHODS[path];
  if (method) return { route: path, method };
  const models = `${OPENAI_BASE}/models/`;
  if (path.startsWith(models) && path.length > models.length) {
    let id: string;
    try {
      id = decodeURIComponent(path.slice(models.length));
    } catch {
      throw new AppError("bad_request", `the model id in ${clip(path, 200)} is not valid percent-encoding`, { field: "model" });
    }
    const problem = badTextOf(id);
    if (problem) throw new AppError("bad_request", `model id: ${problem}`, { field: "model" });
    return { route: MODEL_BY_ID, method: "GET", id };
  }
  if (path === OPENAI_BASE || path.startsWith(`${OPENAI_BASE}/`)) {
    throw new AppError("not_found", `Invalid URL ${clip(path, 200)}: this gateway serves ${SERVED()}`);
  }
  throw new AppError("not_found", `no gateway route ${clip(path, 200)}`);
}
