import { mkdirSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { openTestClickHouse, type TestClickHouse } from "@/db/test/clickhouse";
import { mlflowTestClient } from "@/db/test/mlflow";
import { postgresBackends, type TestPostgres } from "@/db/test/postgres";
import { parseConfig } from "@/lib/gateway/config";
import type { Gateway } from "@/lib/gateway/gateway.server";
import { GATEWAY_PATHS, handleGatewayRequest } from "@/lib/gateway/http.server";
import { createGateway } from "@/lib/gateway/runtime.server";
import { MLFLOW_API } from "@/lib/mlflow/api.server";
import type { Endpoint, MlflowMethod } from "@/lib/mlflow/http.server";
import type { Stores } from "@/lib/stores/index.server";
import { surfaceOf, type Surface } from "./surface";
import {
  BODY_VALUES,
  CONTENT_TYPES,
  OVERSIZED_BODY,
  QUERY_VALUES,
  RANGE_PAIRS,
  SEGMENT_VALUES,
  WHOLE_BODIES,
  formatPath,
  pathsOf,
  sampleOf,
  toQuery,
  withRawAt,
  type Seeds,
} from "./testing/fuzz-corpus";
import { listRouteFiles, nextParams, rawPath, verdict, type RouteFile } from "./testing/fuzz-routes";

/**
 * Every route of the three surfaces, found at run time (app/**\/route.ts, the gateway's path table,
 * the MLflow endpoint table), gets a corpus of malformed requests on real stores (PGlite, then the
 * Postgres server; chDB): wrong methods and content types, broken, empty, huge and deep JSON, NUL
 * and lone surrogates, bad percent-encoding, huge names, unsafe integers, out-of-range dates,
 * wrong JSON types per field. Any 5xx, or any 4xx without a message in the surface's dialect, fails.
 */
const ROOT = path.resolve(import.meta.dirname, "../..");
const ROUTES = listRouteFiles(path.join(ROOT, "app"));
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
type Method = (typeof METHODS)[number];
const CONCURRENCY = 8;

const CONFIG = `
[providers.echo]
type = "dummy"
latency_ms = 0
ttft_ms = 0

[models.m]
routing = [{ provider = "echo", model = "echo-1" }]

[functions.greet.variants.a]
model = "m"
user = "Greet {{name}}"

[metrics.helpful]
type = "boolean"

[metrics.score]
type = "float"
`;

type RouteModule = Partial<
  Record<Method, (req: NextRequest, ctx: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>>
>;
type Proxy = (req: NextRequest) => Promise<Response | undefined> | Response | undefined;
type Schemas = { query?: unknown; body?: unknown };

interface Case {
  surface: Surface;
  what: string;
  /** Destructive cases (renames, deletes) run last, so the seeds serve every other case. */
  late?: boolean;
  send(): Promise<Response>;
}

interface Request {
  method: string;
  path: string;
  body?: string | Uint8Array;
  type?: string | null;
  headers?: Record<string, string>;
}

function init(r: Request): { method: string; body?: BodyInit; headers: Record<string, string> } {
  const headers: Record<string, string> = { ...r.headers };
  const type = r.type === undefined ? "application/json" : r.type;
  if (type !== null && r.body !== undefined) headers["content-type"] = type;
  return { method: r.method, body: r.method === "GET" ? undefined : (r.body as BodyInit | undefined), headers };
}

async function loadProxy(): Promise<Proxy | undefined> {
  try {
    const mod = (await import(/* @vite-ignore */ path.join(ROOT, "proxy.ts"))) as { proxy?: Proxy };
    return mod.proxy;
  } catch {
    return undefined;
  }
}

/** What Next does for one request to a route file: proxy, param decoding, method dispatch. */
function nextCase(
  route: RouteFile,
  mod: RouteModule,
  proxy: Proxy | undefined,
  segments: Record<string, string>,
  r: Request,
  what: string,
): Case {
  return {
    surface: surfaceOf(route.pattern),
    what: `${r.method} ${route.pattern} ${what}`,
    late: /rename|delete/.test(route.pattern),
    async send() {
      const url = `http://fuzz.test${rawPath(route, segments)}${r.path}`;
      const answered = proxy ? await proxy(new NextRequest(url, init(r))) : undefined;
      if (answered && answered.headers.get("x-middleware-next") !== "1") return answered;
      const params = nextParams(route, segments);
      // What the built app answered (seen over HTTP): Next's own plain-text 500, or empty 405.
      if (!params) return new Response("Internal Server Error", { status: 500, headers: { "content-type": "text/plain" } });
      const handler = mod[r.method as Method];
      if (!handler) return new Response(null, { status: 405 });
      return handler(new NextRequest(url, init(r)), { params: Promise.resolve(params) });
    },
  };
}

function bodyCases(base: unknown, send: (r: Omit<Request, "method" | "path">, what: string) => Case): Case[] {
  const cases: Case[] = [];
  for (const [label, raw] of WHOLE_BODIES) cases.push(send({ body: raw }, `body: ${label}`));
  cases.push(send({ body: OVERSIZED_BODY }, "body: 21 MB"));
  for (const type of CONTENT_TYPES) cases.push(send({ body: JSON.stringify(base), type }, `content-type: ${type ?? "none"}`));
  for (const at of pathsOf(base)) {
    for (const [label, raw] of BODY_VALUES) cases.push(send({ body: withRawAt(base, at, raw) }, `${formatPath(at)}: ${label}`));
  }
  return cases;
}

function queryCases(base: Record<string, unknown>, send: (query: string, what: string) => Case): Case[] {
  const cases: Case[] = [send(`?${toQuery(base)}`, "plausible query")];
  // A handler without a query schema ignores the query string: one case shows it.
  if (!Object.keys(base).length) return [...cases, send("?name=%00&from=1e400", "unexpected query")];
  for (const key of Object.keys(base)) {
    const rest = toQuery(Object.fromEntries(Object.entries(base).filter(([k]) => k !== key)));
    const prefix = rest.size ? `?${rest}&` : "?";
    for (const [label, raw] of QUERY_VALUES) cases.push(send(`${prefix}${key}=${raw}`, `?${key}: ${label}`));
    cases.push(send(`${prefix}${key}=1&${key}=2`, `?${key}: repeated`));
    cases.push(send(`${prefix}${key}%00=1`, `?${key}: NUL in the key`));
  }
  // Bounds that are each fine alone but not together: a short range far outside ClickHouse's dates.
  if ("from" in base && "to" in base) {
    const rest = toQuery(Object.fromEntries(Object.entries(base).filter(([k]) => k !== "from" && k !== "to")));
    for (const [from, to] of RANGE_PAIRS) cases.push(send(`?${rest}&from=${from}&to=${to}`, `?from=${from}&to=${to}`));
  }
  return cases;
}

async function routeCases(route: RouteFile, proxy: Proxy | undefined, seeds: Seeds): Promise<Case[]> {
  const mod = (await import(/* @vite-ignore */ route.file)) as RouteModule;
  const segmentSeeds: Record<string, string> = {};
  for (const s of route.segments) {
    if (s.kind === "param")
      segmentSeeds[s.name] = encodeURIComponent(String(seeds[`${route.pattern}:${s.name}`] ?? seeds[`:${s.name}`] ?? "x"));
    if (s.kind === "catchall") segmentSeeds[s.name] = "some/path";
  }
  const at = (segments: Record<string, string>) => (r: Request, what: string) => nextCase(route, mod, proxy, segments, r, what);
  const send = at(segmentSeeds);
  const cases: Case[] = [];
  const mlflowPath = route.pattern.replace(/^\/api\/2\.0\/mlflow/, "") as keyof typeof MLFLOW_API;
  const mlflow: Partial<Record<MlflowMethod, Endpoint>> | undefined = route.pattern.startsWith("/api/2.0/mlflow/")
    ? MLFLOW_API[mlflowPath]
    : undefined;
  const implemented = METHODS.filter((m) => typeof mod[m] === "function" && !(mod[m] as { refusal?: boolean }).refusal);
  const anyMethod = implemented[0] ?? "GET";
  for (const method of METHODS) cases.push(send({ method, path: "", body: method === "GET" ? undefined : "{}" }, "method"));
  for (const s of route.segments) {
    if (s.kind === "static") continue;
    for (const [label, raw] of SEGMENT_VALUES) {
      const value = s.kind === "catchall" ? `a/${raw}` : raw;
      cases.push(
        at({ ...segmentSeeds, [s.name]: value })(
          { method: anyMethod, path: "", body: anyMethod === "GET" ? undefined : "{}" },
          `[${s.name}]: ${label}`,
        ),
      );
    }
  }
  for (const method of implemented) {
    const handler = mod[method] as unknown as { schemas?: Schemas };
    const endpoint = mlflow?.[method as MlflowMethod];
    const querySchema = endpoint ? (method === "GET" ? endpoint.request : undefined) : handler.schemas?.query;
    const bodySchema = endpoint ? (method === "GET" ? undefined : endpoint.request) : handler.schemas?.body;
    if (method === "GET" || querySchema) {
      const base = querySchema ? (sampleOf(querySchema, seeds) as Record<string, unknown>) : {};
      cases.push(...queryCases(base, (query, what) => send({ method, path: query }, what)));
    }
    if (method !== "GET") {
      const base = bodySchema ? sampleOf(bodySchema, seeds) : {};
      cases.push(...bodyCases(base, (r, what) => send({ method, path: "", ...r }, what)));
    }
  }
  return cases;
}

async function gatewayCases(url: string, seeds: Seeds): Promise<Case[]> {
  const bases: Record<string, unknown> = {
    "/openai/v1/chat/completions": {
      model: "function::greet",
      messages: [{ role: "user", content: "hi" }],
      llmops: { variables: { name: "x" }, tags: { k: "v" } },
    },
    "/api/inference": {
      function_name: "greet",
      input: { variables: { name: "x" }, messages: [{ role: "user", content: "hi" }] },
      tags: { k: "v" },
    },
    "/api/feedback": { metric_name: "helpful", inference_id: seeds.inference_id, value: true, tags: { k: "v" } },
  };
  const cases: Case[] = [];
  for (const route of GATEWAY_PATHS) {
    const send = (r: Request, what: string): Case => ({
      surface: route.startsWith("/openai/") ? "openai" : "openai",
      what: `${r.method} ${route} ${what}`,
      send: () => fetch(`${url}${route}${r.path}`, init(r)),
    });
    const base = bases[route] ?? { model: "model::m", messages: [{ role: "user", content: "hi" }], input: "hi" };
    for (const method of METHODS)
      cases.push(send({ method, path: "", body: method === "GET" ? undefined : JSON.stringify(base) }, "method"));
    cases.push(send({ method: "PROPFIND", path: "" }, "unknown method"));
    // Bodies only where POST is served (a refused POST is answered before its body is read).
    const probe = await fetch(`${url}${route}`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    await probe.arrayBuffer();
    if (probe.status === 405) continue;
    cases.push(...bodyCases(base, (r, what) => send({ method: "POST", path: "", ...r }, what)));
    for (const [header, value] of [
      ["x-llmops-episode-id", "not-a-uuid"],
      ["x-llmops-cache", "sometimes"],
      ["x-llmops-cache", "ttl=99999999999999999999"],
      ["x-llmops-variant", "nope"],
      ["x-llmops-variant", "v".repeat(8_000)],
    ] as const) {
      cases.push(
        send({ method: "POST", path: "", body: JSON.stringify(base), headers: { [header]: value } }, `${header}: ${value.slice(0, 40)}`),
      );
    }
  }
  for (const tail of ["/openai/v1/chat/completions/%ZZ", "/openai/v1/%00", "/api/gateway/status/x"]) {
    cases.push({ surface: "openai", what: `GET ${tail}`, send: () => fetch(`${url}${tail}`) });
  }
  return cases;
}

async function runAll(cases: Case[]): Promise<{ failures: string[]; fivexx: number; slowest: string }> {
  const ordered = [...cases.filter((c) => !c.late), ...cases.filter((c) => c.late)];
  const failures: string[] = [];
  let fivexx = 0;
  let next = 0;
  async function worker() {
    while (next < ordered.length) {
      const c = ordered[next++]!;
      let problem: string | undefined;
      const started = performance.now();
      try {
        const res = await c.send();
        if (res.status >= 500) fivexx += 1;
        problem = await verdict(c.surface, res);
      } catch (error) {
        fivexx += 1;
        const cause = error instanceof Error && error.cause instanceof Error ? ` (${error.cause.message})` : "";
        problem = `threw ${error instanceof Error ? error.message.slice(0, 160) : String(error)}${cause}`;
      }
      if (problem) failures.push(`${c.what.slice(0, 200)} → ${problem}`);
      const label = c.what.split(" ").slice(0, 2).join(" ");
      spent.set(label, (spent.get(label) ?? 0) + performance.now() - started);
      if (process.env.FUZZ_SLOW) slowCases.push([c.what.slice(0, 120), performance.now() - started]);
    }
  }
  const spent = new Map<string, number>();
  const slowCases: [string, number][] = [];
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const slowest = [...spent]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 8)
    .map(([label, ms]) => `${label} ${(ms / 1000).toFixed(1)} s`)
    .join(", ");
  if (process.env.FUZZ_SLOW) {
    console.log(
      slowCases
        .sort((a, b) => b[1] - a[1])
        .slice(0, 40)
        .map(([what, ms]) => `${ms.toFixed(0)} ms ${what}`)
        .join("\n"),
    );
  }
  return { failures, fivexx, slowest };
}

const STORES = Symbol.for("llmops.stores");
const GATEWAY = Symbol.for("llmops.gateway.instance");
type Registry = { [STORES]?: Promise<Stores>; [GATEWAY]?: Promise<Gateway> };

describe("fuzz: every route answers malformed requests with a 4xx that says what is wrong", () => {
  let ch: TestClickHouse;
  beforeAll(async () => {
    ch = await openTestClickHouse();
  });
  afterAll(async () => {
    const registry = globalThis as Registry;
    delete registry[STORES];
    delete registry[GATEWAY];
    await ch?.cleanup();
  });

  describe.each(postgresBackends)("on $name", (backend) => {
    let pg: TestPostgres;
    let gateway: Gateway;
    let server: Server;
    let url: string;
    let seeds: Record<string, unknown>;

    beforeAll(async () => {
      pg = await backend.open();
      const stores: Stores = { postgres: pg.store, clickhouse: ch.store, close: async () => undefined };
      gateway = await createGateway(stores, parseConfig(CONFIG, "fuzz.toml"));
      // The route modules reach the stores and the gateway through the process registry.
      const registry = globalThis as Registry;
      registry[STORES] = Promise.resolve(stores);
      registry[GATEWAY] = Promise.resolve(gateway);
      server = createServer((req, res) => void handleGatewayRequest(async () => gateway, req, res));
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      seeds = await seed(stores, gateway);
    });
    afterAll(async () => {
      server?.closeAllConnections();
      await new Promise((r) => server?.close(r));
      await gateway?.recorder.close(5_000);
      await pg?.cleanup();
    });

    it("has no 5xx and no 4xx without a message", async () => {
      const started = Date.now();
      const proxy = await loadProxy();
      const cases: Case[] = [];
      for (const route of ROUTES) cases.push(...(await routeCases(route, proxy, seeds)));
      cases.push(...(await gatewayCases(url, seeds)));
      const { failures, fivexx, slowest } = await runAll(cases);
      console.log(
        `[fuzz] ${backend.name}: ${cases.length} requests over ${ROUTES.length} route files, ${GATEWAY_PATHS.length} gateway paths; ` +
          `${fivexx} × 5xx, ${failures.length} failures; ${((Date.now() - started) / 1000).toFixed(1)} s; slowest classes: ${slowest}`,
      );
      if (failures.length) {
        // The whole list, for whoever fixes them; the log shows the first ones.
        mkdirSync(path.join(ROOT, "test-results"), { recursive: true });
        writeFileSync(path.join(ROOT, "test-results", `fuzz-${backend.name}.txt`), failures.join("\n") + "\n");
        console.log(failures.slice(0, 100).join("\n"));
      }
      // The recorder took every answered inference: a poisoned batch would stop the next one.
      const after = await gateway.infer({ functionName: "greet", variables: { name: "after" } }, { signal: new AbortController().signal });
      await gateway.recorder.flush();
      const [found] = await (
        await ch.store.client.query({
          query: "SELECT count() AS n FROM inferences WHERE id = {id:UUID}",
          query_params: { id: after.inferenceId },
          format: "JSONEachRow",
        })
      ).json<{ n: string | number }>();
      expect(failures).toEqual([]);
      expect(Number(found?.n)).toBe(1);
    }, 600_000);
  });
});

/** Entities the corpus can name, so broken fields reach the stores rather than a 404. */
async function seed(stores: Stores, gateway: Gateway): Promise<Record<string, unknown>> {
  const ctx = { db: stores.postgres.db, clickhouse: stores.clickhouse.client };
  const client = mlflowTestClient(ctx);
  const any = z.object({}).passthrough();
  const suffix = Math.random().toString(36).slice(2, 8);
  const { experiment_id } = await client.ok(
    "POST",
    "/experiments/create",
    { name: `fuzz-${suffix}` },
    z.object({ experiment_id: z.string() }),
  );
  const { run } = await client.ok(
    "POST",
    "/runs/create",
    { experiment_id },
    z.object({ run: z.object({ info: z.object({ run_id: z.string() }) }) }),
  );
  const runId = run.info.run_id;
  await client.ok("POST", "/runs/log-metric", { run_id: runId, key: "loss", value: 1, timestamp: 1, step: 0 }, any);
  const model = `fuzz-model-${suffix}`;
  await client.ok("POST", "/registered-models/create", { name: model }, any);
  await client.ok("POST", "/model-versions/create", { name: model, source: "s3://x", run_id: runId }, any);
  await client.ok("POST", "/registered-models/alias", { name: model, alias: "champion", version: "1" }, any);
  const inference = await gateway.infer({ functionName: "greet", variables: { name: "seed" } }, { signal: new AbortController().signal });
  await gateway.recorder.flush();
  return {
    run_id: runId,
    run_uuid: runId,
    experiment_id,
    experiment_ids: [experiment_id],
    name: model,
    version: "1",
    key: "loss",
    metric_key: "loss",
    stage: "Staging",
    from: new Date(Date.now() - 86_400_000).toISOString(),
    to: new Date().toISOString(),
    alias: "champion",
    inference_id: inference.inferenceId,
    ":runId": runId,
    ":id": inference.inferenceId,
    ":version": "1",
    ":name": model,
    "/api/functions/[name]:name": "greet",
    "/api/functions/[name]/ab:name": "greet",
  };
}
