/**
 * The three API surfaces and their error dialects, told apart by path: MLflow's REST API
 * (`{error_code, message}`) under /api/2.0/, /api/3.0/ and /ajax-api/; the OpenAI-shaped gateway
 * (`{error: {message, type, code, param}}`) under /openai/; our own JSON API
 * (`{error: {code, message}}`) everywhere else under /api/. The gateway's native routes
 * (/api/inference, /api/feedback, /api/gateway/status) never reach Next: scripts/server.mjs sends
 * them to the gateway, which answers in its own (OpenAI) dialect.
 */
export type Surface = "app" | "mlflow" | "openai";

export function surfaceOf(pathname: string): Surface {
  if (/^\/(api\/[23]\.0|ajax-api)(\/|$)/.test(pathname)) return "mlflow";
  if (/^\/openai(\/|$)/.test(pathname)) return "openai";
  return "app";
}

const OPENAI_TYPES: Record<number, string> = {
  400: "invalid_request_error",
  404: "not_found_error",
  405: "invalid_request_error",
  413: "invalid_request_error",
  415: "invalid_request_error",
};

/**
 * An error body in the surface's dialect, for the answers given before any surface's own code
 * runs (unknown paths, methods Next does not route, undecodable URLs).
 */
export function surfaceErrorBody(surface: Surface, status: number, code: string, message: string): unknown {
  switch (surface) {
    case "mlflow":
      return { error_code: status === 404 || status === 405 ? "ENDPOINT_NOT_FOUND" : "INVALID_PARAMETER_VALUE", message };
    case "openai":
      return { error: { message, type: OPENAI_TYPES[status] ?? "invalid_request_error", code, param: null } };
    case "app":
      return { error: { code, message } };
  }
}

export function surfaceError(
  surface: Surface,
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): Response {
  return new Response(JSON.stringify(surfaceErrorBody(surface, status, code, message)), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });
}
