import "server-only";
import { MLFLOW_API, type MlflowPath } from "./api.server";
import { mlflowHandler, type Endpoint, type MlflowMethod } from "./http.server";

/**
 * Route handlers for MLflow paths with parameters (`/logged-models/{model_id}`): Next gives the
 * path's values to the route, and they join the request message, overriding the body's, as
 * MLflow's handlers take them from the URL.
 */
export function withPathParams(endpoint: Endpoint, values: Record<string, string>): Endpoint {
  return { ...endpoint, run: (ctx, raw, bodyBytes) => endpoint.run(ctx, { ...raw, ...values }, bodyBytes) };
}

export function mlflowPathRoute<P extends MlflowPath>(path: P, method: keyof (typeof MLFLOW_API)[P] & MlflowMethod) {
  const endpoints: Partial<Record<MlflowMethod, Endpoint>> = MLFLOW_API[path];
  const found = endpoints[method];
  if (!found) throw new Error(`no MLflow endpoint ${method} ${path}`);
  return async (req: Request, context: { params: Promise<Record<string, string>> }) =>
    mlflowHandler(withPathParams(found, await context.params))(req);
}
