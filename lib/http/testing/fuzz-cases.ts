import path from "node:path";
import { NextRequest } from "next/server";
import { GATEWAY_PATHS } from "@/lib/gateway/http.server";
import { isTensorZeroPath } from "@/lib/gateway/tensorzero/paths";
import { MLFLOW_API } from "@/lib/mlflow/api.server";
import type { Endpoint, MlflowMethod } from "@/lib/mlflow/http.server";
import { surfaceOf } from "../surface";
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
} from "./fuzz-corpus";
import { listRouteFiles, nextParams, rawPath, verdict, type FuzzSurface, type RouteFile } from "./fuzz-routes";

/**
 * The fuzz suite's requests: for each route file (as Next would run it: proxy, then param
 * decoding, then the method's handler), each gateway path (over HTTP to the gateway's handler)
 * and each MLflow endpoint (its request schema gives the fields), a list of cases; and the runner
 * that sends them a few at a time and judges each answer.
 */
export const ROOT = path.resolve(import.meta.dirname, "../../..");
export const ROUTES = listRouteFiles(path.join(ROOT, "app"));
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
type Method = (typeof METHODS)[number];
const CONCURRENCY = 8;

type RouteModule = Partial<
  Record<Method, (req: NextRequest, ctx: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>>
>;
export type Proxy = (req: NextRequest) => Promise<Response | undefined> | Response | undefined;
type Schemas = { query?: unknown; body?: unknown };

export interface Case {
  surface: FuzzSurface;
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

export async function loadProxy(): Promise<Proxy | undefined> {
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
    surface: route.pattern.startsWith("/v1/") ? "otlp" : surfaceOf(route.pattern),
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

export async function routeCases(route: RouteFile, proxy: Proxy | undefined, seeds: Seeds): Promise<Case[]> {
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

export async function gatewayCases(url: string, seeds: Seeds): Promise<Case[]> {
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
    "/inference": {
      function_name: "greet",
      model_name: null,
      input: { system: "Be brief.", messages: [{ role: "user", content: [{ type: "text", arguments: { name: "x" } }] }] },
      params: { chat_completion: { temperature: null } },
      tags: { k: "v" },
      cache_options: { enabled: "write_only", max_age_s: null },
    },
    "/feedback": { metric_name: "helpful", inference_id: seeds.inference_id, episode_id: null, value: true, tags: {} },
  };
  const cases: Case[] = [];
  for (const route of GATEWAY_PATHS) {
    const send = (r: Request, what: string): Case => ({
      surface: isTensorZeroPath(route) ? "tensorzero" : "openai",
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

export async function runAll(cases: Case[]): Promise<{ failures: string[]; fivexx: number; slowest: string }> {
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
