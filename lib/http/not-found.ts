import { clip } from "./clip";
import { refusal, type RouteMethod } from "./methods";
import { surfaceError, surfaceOf } from "./surface";

/**
 * The answer for paths no route serves, in the path's dialect: app JSON under /api, MLflow's
 * `ENDPOINT_NOT_FOUND` under /api/2.0, /api/3.0 and /ajax-api. The catch-all route files that use
 * it are the least specific of their folders, so any route added later takes precedence.
 */
export const unknownEndpoint = refusal(async function unknownEndpoint(req: Request): Promise<Response> {
  const { pathname } = new URL(req.url);
  const surface = surfaceOf(pathname);
  const path = clip(pathname, 200);
  const message =
    surface === "mlflow" ? `No MLflow endpoint ${req.method} ${path} on this server.` : `No API endpoint ${req.method} ${path}`;
  return surfaceError(surface, 404, "not_found", message);
});

/** Every method of a catch-all route file. */
export const UNKNOWN_ENDPOINT: Record<RouteMethod | "OPTIONS", (req: Request) => Promise<Response>> = {
  GET: unknownEndpoint,
  POST: unknownEndpoint,
  PUT: unknownEndpoint,
  PATCH: unknownEndpoint,
  DELETE: unknownEndpoint,
  OPTIONS: unknownEndpoint,
};
