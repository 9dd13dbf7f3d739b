import "server-only";
import { MLFLOW_API, type MlflowPath } from "./api.server";
import { badTextOf } from "@/lib/http/json-input";
import { refuseOtherMethods, type RouteMethod } from "@/lib/http/methods";
import { invalidParameter } from "@/lib/stores/mlflow-errors";
import { mlflowAccess, mlflowHandler, type Endpoint, type MlflowMethod } from "./http.server";

type PathContext = { params: Promise<Record<string, string>> };

/**
 * Route handlers for MLflow paths with parameters (`/logged-models/{model_id}`): Next gives the
 * path's values to the route, and they join the request message, overriding the body's, as
 * MLflow's handlers take them from the URL.
 */
export function withPathParams(endpoint: Endpoint, values: Record<string, string>): Endpoint {
  return {
    ...endpoint,
    run: async (ctx, raw, bodyBytes) => {
      // Next decoded each segment once; one the stores cannot hold is a 400 like any other field.
      for (const [name, value] of Object.entries(values)) {
        const problem = badTextOf(value);
        if (problem) throw invalidParameter(`Invalid value for parameter '${name}' supplied: it ${problem}.`);
      }
      return endpoint.run(ctx, { ...raw, ...values }, bodyBytes);
    },
  };
}

/**
 * Every method of a route file for a path with parameters, e.g.
 * `export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = mlflowPathRoutes("/logged-models/{model_id}")`.
 */
export function mlflowPathRoutes(
  path: MlflowPath,
): Record<RouteMethod | "OPTIONS", (req: Request, context: PathContext) => Promise<Response>> {
  const endpoints: Partial<Record<MlflowMethod, Endpoint>> = MLFLOW_API[path];
  const handlers: Partial<Record<RouteMethod, (req: Request, context: PathContext) => Promise<Response>>> = {};
  for (const [method, found] of Object.entries(endpoints)) {
    const handle = async (req: Request, context: PathContext) =>
      mlflowHandler(withPathParams(found, await context.params), path, method)(req);
    handlers[method as MlflowMethod] = Object.assign(handle, { access: mlflowAccess(path, method) });
  }
  return { ...handlers, ...refuseOtherMethods(handlers) } as Record<
    RouteMethod | "OPTIONS",
    (req: Request, context: PathContext) => Promise<Response>
  >;
}
