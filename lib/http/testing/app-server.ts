import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import path from "node:path";
import { NextRequest } from "next/server";
import { postgresBackends, type PostgresBackend } from "@/db/test/postgres";
import type { Gateway } from "@/lib/gateway/gateway.server";
import { openTestStores, startTestGateway, type TestGateway, type TestStores } from "@/lib/gateway/testing/harness";
import { handleGatewayRequest, isGatewayPath } from "@/lib/gateway/http.server";
import { isTensorZeroPath } from "@/lib/gateway/tensorzero/paths";
import { guardRequest } from "@/scripts/http-guard.mjs";
import { listRouteFiles, type RouteFile } from "./fuzz-routes";

/**
 * The app's HTTP surface in a test process, without `next build`: scripts/http-guard.mjs first (Host
 * check, security headers), then the gateway's paths go to the gateway (as scripts/server.mjs sends them), every other path to its app/**\/route.ts module with
 * Next's params (each segment decoded once). Real clients (the openai SDK, the npm mlflow client,
 * fetch) then talk to the same handlers the built app runs. Pages are not served.
 */
const ROOT = path.resolve(import.meta.dirname, "../../..");
type Handler = (req: NextRequest, context: { params: Promise<Record<string, string | string[]>> }) => Promise<Response> | Response;

function specificity(route: RouteFile): number[] {
  // Static segments before parameters before catch-alls, segment by segment, as Next orders them.
  return route.segments.map((s) => (s.kind === "static" ? 0 : s.kind === "param" ? 1 : s.optional ? 3 : 2));
}

function match(route: RouteFile, parts: string[]): Record<string, string | string[]> | undefined {
  const params: Record<string, string | string[]> = {};
  let i = 0;
  for (const s of route.segments) {
    if (s.kind === "catchall") {
      const rest = parts.slice(i);
      if (!rest.length && !s.optional) return undefined;
      if (rest.length) params[s.name] = rest.map(decodeURIComponent);
      return params;
    }
    const part = parts[i++];
    if (part === undefined) return undefined;
    if (s.kind === "static" && s.text !== part) return undefined;
    if (s.kind === "param") params[s.name] = decodeURIComponent(part);
  }
  return i === parts.length ? params : undefined;
}

export function findRoute(
  routes: RouteFile[],
  pathname: string,
): { route: RouteFile; params: Record<string, string | string[]> } | undefined {
  const parts = pathname.split("/").filter(Boolean);
  const found = routes
    .map((route) => ({ route, params: match(route, parts) }))
    .filter((m): m is { route: RouteFile; params: Record<string, string | string[]> } => m.params !== undefined)
    .sort((a, b) => {
      const x = specificity(a.route);
      const y = specificity(b.route);
      for (let k = 0; k < Math.max(x.length, y.length); k++) if ((x[k] ?? -1) !== (y[k] ?? -1)) return (x[k] ?? -1) - (y[k] ?? -1);
      return 0;
    });
  return found[0];
}

async function toNextRequest(req: IncomingMessage, origin: string): Promise<NextRequest> {
  const headers = new Headers();
  for (const [key, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) for (const v of value) headers.append(key, v);
    else if (value !== undefined) headers.set(key, value);
  }
  const hasBody = req.method !== "GET" && req.method !== "HEAD";
  return new NextRequest(`${origin}${req.url ?? "/"}`, {
    method: req.method,
    headers,
    body: hasBody ? (Readable.toWeb(req) as ReadableStream<Uint8Array>) : undefined,
    // Node's fetch needs `duplex` for a streamed body.
    duplex: "half",
  });
}

async function send(res: ServerResponse, answer: Response): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  answer.headers.forEach((value, key) => {
    if (key === "set-cookie") return;
    headers[key] = value;
  });
  const cookies = answer.headers.getSetCookie();
  if (cookies.length) headers["set-cookie"] = cookies;
  res.writeHead(answer.status, headers);
  if (answer.body) for await (const chunk of answer.body as unknown as AsyncIterable<Uint8Array>) res.write(chunk);
  res.end();
}

export interface TestAppServer {
  url: string;
  server: Server;
  close(): Promise<void>;
}

export async function startTestAppServer(gateway: Gateway): Promise<TestAppServer> {
  const routes = listRouteFiles(path.join(ROOT, "app"));
  const modules = new Map<string, Record<string, Handler>>();
  let origin = "";
  const server = createServer((req, res) => {
    void (async () => {
      const pathname = (req.url ?? "/").split("?")[0]!;
      const toGateway = isGatewayPath(req.url) || isTensorZeroPath(pathname);
      // What scripts/server.mjs does first: the Host check and the security headers.
      if (!guardRequest(req, res, { publicOrigins: [], gateway: toGateway })) return;
      if (toGateway) return handleGatewayRequest(async () => gateway, req, res);
      const found = findRoute(routes, pathname);
      if (!found) return send(res, Response.json({ error: { code: "not_found", message: `no route ${pathname}` } }, { status: 404 }));
      let mod = modules.get(found.route.file);
      if (!mod) {
        mod = (await import(/* @vite-ignore */ found.route.file)) as Record<string, Handler>;
        modules.set(found.route.file, mod);
      }
      const handler = mod[req.method ?? "GET"];
      if (!handler) return send(res, new Response(null, { status: 405 }));
      await send(res, await handler(await toNextRequest(req, origin), { params: Promise.resolve(found.params) }));
    })().catch((error: unknown) => {
      console.error("[test app server]", error);
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
      res.end("test app server: unexpected error");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: origin,
    server,
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

const STORES = Symbol.for("llmops.stores");
const GATEWAY = Symbol.for("llmops.gateway.instance");
const slots = globalThis as Record<symbol, unknown>;

export interface TestApp {
  env: TestStores;
  gw: TestGateway;
  app: TestAppServer;
  close(): Promise<void>;
}

/**
 * Real stores, a gateway on the given config and the route handlers over HTTP, with the stores
 * and gateway registered where the handlers find them (as start-up registers the process's own).
 */
export async function startTestApp(configText: string, backend: PostgresBackend = postgresBackends[0]!): Promise<TestApp> {
  const env = await openTestStores(backend);
  slots[STORES] = Promise.resolve(env.stores);
  const gw = await startTestGateway(env.stores, configText);
  slots[GATEWAY] = Promise.resolve(gw.gateway);
  const app = await startTestAppServer(gw.gateway);
  return {
    env,
    gw,
    app,
    async close() {
      delete slots[STORES];
      delete slots[GATEWAY];
      await app.close();
      await gw.close();
      await env.cleanup();
    },
  };
}
