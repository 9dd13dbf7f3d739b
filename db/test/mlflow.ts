import { expect } from "vitest";
import { z } from "zod";
import { MLFLOW_API, type MlflowPath } from "@/lib/mlflow/api.server";
import { invokeEndpoint, type Endpoint, type MlflowMethod } from "@/lib/mlflow/http.server";
import { withPathParams } from "@/lib/mlflow/path-routes.server";
import type { TrackingContext } from "@/lib/tracking/context";

/**
 * An in-process MLflow REST client for integration tests: real Request objects through the same
 * endpoint table and wrapper the route handlers use, on the test's own stores.
 */
export interface MlflowErrorReply {
  status: number;
  error_code: string;
  message: string;
}

const errorReply = z.object({ error_code: z.string(), message: z.string() });

export function mlflowTestClient(ctx: TrackingContext, prefix = "/api/2.0/mlflow") {
  async function call(
    method: MlflowMethod,
    path: MlflowPath,
    payload?: unknown,
    headers: Record<string, string> = {},
    /** Values of `{name}` segments of the path, as a route gets them from the URL. */
    pathParams: Record<string, string> = {},
  ): Promise<{ status: number; json: unknown }> {
    const endpoints: Partial<Record<MlflowMethod, Endpoint>> = MLFLOW_API[path];
    const found = endpoints[method];
    if (!found) throw new Error(`test called ${method} ${path}, which the API table does not have`);
    const endpoint = withPathParams(found, pathParams);
    const url = new URL(
      `http://mlflow.test${prefix}${path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(pathParams[name] ?? ""))}`,
    );
    let init: RequestInit = { method, headers };
    if (method === "GET") {
      for (const [key, value] of Object.entries((payload ?? {}) as Record<string, unknown>)) {
        for (const item of Array.isArray(value) ? value : [value]) url.searchParams.append(key, String(item));
      }
    } else if (payload !== undefined) {
      init = {
        method,
        headers: { "content-type": "application/json", ...headers },
        body: typeof payload === "string" ? payload : JSON.stringify(payload),
      };
    }
    const res = await invokeEndpoint(endpoint, new Request(url, init), ctx);
    return { status: res.status, json: await res.json() };
  }

  return {
    call,
    /** Calls an endpoint expecting 200, and parses the reply with the given wire schema. */
    async ok<S extends z.ZodType>(method: MlflowMethod, path: MlflowPath, payload: unknown, schema: S): Promise<z.output<S>> {
      const { status, json } = await call(method, path, payload);
      if (status !== 200) throw new Error(`${method} ${path} answered ${status}: ${JSON.stringify(json)}`);
      return schema.parse(json);
    },
    /** Calls an endpoint expecting an MLflow error reply. */
    async fail(method: MlflowMethod, path: MlflowPath, payload?: unknown): Promise<MlflowErrorReply> {
      const { status, json } = await call(method, path, payload);
      expect(status, `${method} ${path} should fail, got ${JSON.stringify(json)}`).not.toBe(200);
      return { status, ...errorReply.parse(json) };
    },
  };
}

export type MlflowTestClient = ReturnType<typeof mlflowTestClient>;
export const emptyReply = z.object({}).strict();
