import { readdirSync } from "node:fs";
import path from "node:path";
import type { Surface } from "../surface";

/**
 * Route discovery for the fuzz suite: every `app/**\/route.ts` with its URL pattern, so a new
 * route file is fuzzed without editing the suite; and Next's treatment of path segments (each
 * decoded once with decodeURIComponent; one that cannot be decoded never reaches the handler).
 */
export type Segment =
  { kind: "static"; text: string } | { kind: "param"; name: string } | { kind: "catchall"; name: string; optional: boolean };

export interface RouteFile {
  file: string;
  pattern: string;
  segments: Segment[];
}

function segmentOf(dir: string): Segment | undefined {
  if (/^\(.*\)$/.test(dir)) return undefined;
  const optional = /^\[\[\.\.\.(.+)\]\]$/.exec(dir);
  if (optional) return { kind: "catchall", name: optional[1]!, optional: true };
  const catchall = /^\[\.\.\.(.+)\]$/.exec(dir);
  if (catchall) return { kind: "catchall", name: catchall[1]!, optional: false };
  const param = /^\[(.+)\]$/.exec(dir);
  if (param) return { kind: "param", name: param[1]! };
  return { kind: "static", text: dir };
}

export function listRouteFiles(appDir: string): RouteFile[] {
  const files = readdirSync(appDir, { recursive: true, encoding: "utf8" }).filter((f) => path.basename(f) === "route.ts");
  return files.sort().map((file) => {
    const segments = path
      .dirname(file)
      .split(path.sep)
      .filter((d) => d !== ".")
      .map(segmentOf)
      .filter((s): s is Segment => s !== undefined);
    const pattern =
      "/" + segments.map((s) => (s.kind === "static" ? s.text : s.kind === "param" ? `[${s.name}]` : `[...${s.name}]`)).join("/");
    return { file: path.join(appDir, file), pattern, segments };
  });
}

/** The raw path for the given raw (percent-encoded) segment values; catch-alls take "a/b". */
export function rawPath(route: RouteFile, values: Readonly<Record<string, string>>): string {
  const parts = route.segments.map((s) => (s.kind === "static" ? s.text : (values[s.name] ?? "x")));
  return "/" + parts.filter((p) => p !== "").join("/");
}

/** The params Next passes for raw segment values, or undefined when Next cannot decode one. */
export function nextParams(route: RouteFile, values: Readonly<Record<string, string>>): Record<string, string | string[]> | undefined {
  const params: Record<string, string | string[]> = {};
  try {
    for (const s of route.segments) {
      if (s.kind === "param") params[s.name] = decodeURIComponent(values[s.name] ?? "x");
      if (s.kind === "catchall") {
        const raw = values[s.name] ?? "x";
        if (raw) params[s.name] = raw.split("/").map(decodeURIComponent);
      }
    }
  } catch {
    return undefined;
  }
  return params;
}

/** What every error of a surface must carry: its dialect's shape with a message a person can act on. */
/**
 * `tensorzero`: TensorZero's API at the root (lib/gateway/tensorzero), whose errors are `{"error": "message"}`.
 * `otlp`: OpenTelemetry's /v1/* ingestion, whose errors are google.rpc.Status `{"code", "message"}`.
 */
export type FuzzSurface = Surface | "tensorzero" | "otlp";

export async function verdict(surface: FuzzSurface, res: Response): Promise<string | undefined> {
  if (res.status < 400) return undefined;
  const type = res.headers.get("content-type") ?? "";
  const text = await res.text();
  if (res.status >= 500) return `${res.status} ${text.slice(0, 160)}`;
  if (!type.includes("application/json")) return `${res.status} without a JSON body (content-type: ${type || "none"})`;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return `${res.status} with a body that is not JSON`;
  }
  const message = messageOf(surface, body);
  if (!message) return `${res.status} without a message in the ${surface} dialect: ${text.slice(0, 160)}`;
  if (message.length > 1_100) return `${res.status} with a ${message.length}-character message`;
  // The corpus's long values repeat one character: a message may quote ~200 of them, not more.
  if (/(.)\1{250}/s.test(message)) return `${res.status} quoting more than 250 characters of a value`;
  if (res.status === 405 && !res.headers.get("allow")) return "405 without an Allow header";
  return undefined;
}

function messageOf(surface: FuzzSurface, body: unknown): string | undefined {
  if (body === null || typeof body !== "object") return undefined;
  if (surface === "tensorzero") {
    const { error } = body as { error?: unknown };
    return typeof error === "string" && error ? error : undefined;
  }
  if (surface === "otlp") {
    const { code, message } = body as { code?: unknown; message?: unknown };
    return typeof code === "number" && typeof message === "string" && message ? message : undefined;
  }
  if (surface === "mlflow") {
    const { error_code, message } = body as { error_code?: unknown; message?: unknown };
    return typeof error_code === "string" && typeof message === "string" && message ? message : undefined;
  }
  const error = (body as { error?: { message?: unknown; code?: unknown; type?: unknown } }).error;
  if (!error || typeof error.message !== "string" || !error.message) return undefined;
  if (surface === "app" && typeof error.code !== "string") return undefined;
  if (surface === "openai" && typeof error.type !== "string") return undefined;
  return error.message;
}
