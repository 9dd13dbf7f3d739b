import "server-only";
import type { RequestContext } from "@/lib/auth/context.server";
import type { Access } from "@/lib/auth/roles";
import { trackingContextOf, type TrackingContext } from "@/lib/tracking/context";
import { methodNotAllowed } from "@/lib/http/methods";
import { unknownEndpoint } from "@/lib/http/not-found";
import { invokeEndpoint, type Endpoint, type MlflowMethod } from "./http.server";
import * as t from "./trace-endpoints.server";
import * as v2 from "./trace-endpoints-v2.server";

/**
 * MLflow's trace paths, which carry ids in the path (`/traces/{trace_id}/assessments/{id}`), so
 * they are matched here rather than one route file per path: `app/api/{2.0,3.0}/mlflow/traces/
 * [[...path]]` hand every request under `/mlflow/traces` to `traceRoute`. Versions and paths are
 * service.proto's (`since` 2.0 → /api/2.0, 3.0 → /api/3.0); static segments are listed before
 * parameters so `/traces/search` never reads as a trace id.
 */
export type TraceApiVersion = "2.0" | "3.0";
type Table = [pattern: string, handlers: Partial<Record<MlflowMethod, Endpoint>>][];

const SHARED: Table = [
  ["/traces/link-to-run", { POST: t.linkTracesToRunEndpoint }],
  ["/traces/link-prompts", { POST: t.linkPromptsToTrace }],
  ["/traces/delete-traces", { POST: t.deleteTraces }],
];

export const TRACE_API: Record<TraceApiVersion, Table> = {
  "3.0": [
    ["/traces", { POST: t.startTraceV3 }],
    ["/traces/get", { GET: t.getTrace }],
    ["/traces/batchGet", { GET: t.batchGetTraces }],
    ["/traces/batchGetInfos", { POST: t.batchGetTraceInfos }],
    ["/traces/search", { POST: t.searchTracesV3 }],
    ...SHARED,
    ["/traces/{trace_id}", { GET: t.getTraceInfoV3 }],
    ["/traces/{trace_id}/tags", { PATCH: t.setTraceTagEndpoint, DELETE: t.deleteTraceTagEndpoint }],
    ["/traces/{trace_id}/assessments", { POST: t.createAssessmentEndpoint }],
    [
      "/traces/{trace_id}/assessments/{assessment_id}",
      { GET: t.getAssessmentEndpoint, PATCH: t.updateAssessmentEndpoint, DELETE: t.deleteAssessmentEndpoint },
    ],
  ],
  "2.0": [
    ["/traces", { POST: v2.startTraceV2, GET: v2.searchTracesV2 }],
    ...SHARED,
    ["/traces/{request_id}", { PATCH: v2.endTraceV2 }],
    ["/traces/{request_id}/info", { GET: v2.getTraceInfoV2 }],
    ["/traces/{request_id}/tags", { PATCH: t.setTraceTagEndpoint, DELETE: t.deleteTraceTagEndpoint }],
  ],
};

/** The endpoint and path parameters for a path under `/mlflow`, or null when none matches. */
export function matchTracePath(
  version: TraceApiVersion,
  method: MlflowMethod,
  path: string,
): { endpoint: Endpoint; params: Record<string, string> } | { allow: string[] } | null {
  const segments = path.replace(/\/+$/, "").split("/");
  for (const [pattern, handlers] of TRACE_API[version]) {
    const parts = pattern.split("/");
    if (parts.length !== segments.length) continue;
    const params: Record<string, string> = {};
    const ok = parts.every((part, i) => {
      const segment = segments[i] ?? "";
      if (part.startsWith("{")) {
        if (!segment) return false;
        params[part.slice(1, -1)] = decodeURIComponent(segment);
        return true;
      }
      return part === segment;
    });
    if (!ok) continue;
    // The first pattern that matches the path owns it (static ones come first): `GET /traces/search`
    // is a 405, never a lookup of the trace id "search".
    const endpoint = handlers[method];
    return endpoint ? { endpoint, params } : { allow: Object.keys(handlers) };
  }
  return null;
}

/** Path parameters join the request message, overriding the body's fields of the same name. */
function withParams(endpoint: Endpoint, params: Record<string, string>): Endpoint {
  return { ...endpoint, run: (ctx, raw, bytes) => endpoint.run(ctx, { ...raw, ...params }, bytes) };
}

export async function invokeTraceApi(
  version: TraceApiVersion,
  req: Request,
  ctx: TrackingContext | (() => Promise<TrackingContext>),
): Promise<Response> {
  const { pathname } = new URL(req.url);
  const prefix = `/api/${version}/mlflow`;
  const path = pathname.startsWith(prefix) ? pathname.slice(prefix.length) : pathname;
  const match = matchTracePath(version, req.method as MlflowMethod, path);
  if (!match) return unknownEndpoint(req);
  if ("allow" in match) return methodNotAllowed(req, match.allow);
  return invokeEndpoint(withParams(match.endpoint, match.params), req, ctx);
}

/** Route handler for `app/api/{version}/mlflow/traces/[[...path]]`, behind guardMlflow (which gives the context). */
export const traceRoute = (version: TraceApiVersion) => (req: Request, _route: unknown, ctx: RequestContext) =>
  invokeTraceApi(version, req, trackingContextOf(ctx));

/** Who may call a trace path: reads (GET, the POST search and batch lookups) or writes. */
export function traceAccess(req: Request): Access {
  const { pathname } = new URL(req.url);
  return req.method === "GET" || /\/traces\/(search|batchGetInfos)\/?$/.test(pathname) ? "tracking-read" : "tracking";
}
