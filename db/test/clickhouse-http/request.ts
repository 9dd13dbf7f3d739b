import type { IncomingMessage } from "node:http";
import { brotliDecompressSync, gunzipSync, inflateSync } from "node:zlib";
import { exceptions } from "./errors";

/** One HTTP request as ClickHouse's HTTPHandler reads it (DynamicQueryHandler, the `/` handler). */
export interface QueryRequest {
  method: string;
  /** URL `query` + "\n" + body, or the body alone; for multipart, the `query` form field. */
  query: string;
  database?: string;
  defaultFormat?: string;
  queryId?: string;
  session?: { id: string; timeoutS: number; check: boolean; close: boolean };
  /** URL parameters that are neither reserved nor `param_*`: settings for this query. */
  settings: [string, string][];
  /** `param_*` values, the text the client formatted (the engine parses them by their declared type). */
  params: [string, string][];
  user: string;
  password: string;
  /** From `enable_http_compression` and Accept-Encoding. */
  responseEncoding?: "gzip" | "deflate" | "br";
  compressionLevel?: number;
}

// ClickHouse's HTTPHandler: parameters that are not settings (besides `query`, `param_*`, database, default_format).
const RESERVED = new Set([
  "compress",
  "decompress",
  "user",
  "password",
  "quota_key",
  "query_id",
  "stacktrace",
  "role",
  "buffer_size",
  "wait_end_of_query",
  "session_id",
  "session_timeout",
  "session_check",
  "client_protocol_version",
  "close_session",
]);

const MAX_SESSION_TIMEOUT_S = 3600;
const truthy = (value: string | null) => value === "1" || value === "true";

export async function readQueryRequest(req: IncomingMessage, url: URL): Promise<QueryRequest> {
  const search = url.searchParams;
  if (truthy(search.get("compress")) || truthy(search.get("decompress"))) {
    throw exceptions.notImplemented("ClickHouse's native compression (compress/decompress) is not emulated by this fixture");
  }
  const credentials = readCredentials(req, search);
  const body = decode(await readBody(req), req.headers["content-encoding"]);
  const fields = new Map<string, string>();
  const contentType = req.headers["content-type"] ?? "";
  let query: string;
  if (contentType.startsWith("multipart/form-data")) {
    for (const [name, value] of parseMultipart(body, contentType)) fields.set(name, value);
    query = fields.get("query") ?? "";
  } else {
    const inUrl = search.get("query") ?? "";
    const data = body.toString("utf8");
    query = inUrl ? (data ? `${inUrl}\n${data}` : inUrl) : data;
  }

  const request: QueryRequest = {
    method: req.method ?? "GET",
    query,
    database: header(req, "x-clickhouse-database") || search.get("database") || undefined,
    defaultFormat: header(req, "x-clickhouse-format") || search.get("default_format") || undefined,
    queryId: search.get("query_id") || header(req, "x-clickhouse-query-id") || undefined,
    settings: [],
    params: [],
    ...credentials,
  };
  const sessionId = search.get("session_id");
  if (sessionId) {
    const timeout = search.get("session_timeout");
    const timeoutS = timeout === null ? 60 : Number(timeout);
    if (!Number.isInteger(timeoutS) || timeoutS < 0 || timeoutS > MAX_SESSION_TIMEOUT_S) {
      throw exceptions.badArguments(`Invalid session timeout: '${timeout}'`);
    }
    request.session = { id: sessionId, timeoutS, check: truthy(search.get("session_check")), close: truthy(search.get("close_session")) };
  }
  for (const [name, value] of [...search.entries(), ...fields.entries()]) {
    if (name === "" || name === "query" || name === "database" || name === "default_format" || RESERVED.has(name)) continue;
    if (name.startsWith("param_")) {
      if (!request.params.some(([n]) => n === name.slice(6))) request.params.push([name.slice(6), value]);
    } else request.settings.push([name, value]);
  }
  const compression = request.settings.find(([n]) => n === "enable_http_compression")?.[1];
  if (compression !== undefined && truthy(compression)) {
    request.responseEncoding = chooseEncoding(header(req, "accept-encoding"));
    const level = request.settings.find(([n]) => n === "http_zlib_compression_level")?.[1];
    if (level !== undefined) request.compressionLevel = Number(level);
  }
  return request;
}

function header(req: IncomingMessage, name: string): string {
  const value = req.headers[name];
  return Array.isArray(value) ? (value[0] ?? "") : (value ?? "");
}

/** Basic auth, `X-ClickHouse-User`/`X-ClickHouse-Key`, or `user`/`password` parameters; mixing them is refused, as a server does. */
function readCredentials(req: IncomingMessage, search: URLSearchParams): { user: string; password: string } {
  const authorization = header(req, "authorization");
  const headerUser = header(req, "x-clickhouse-user");
  const headerKey = header(req, "x-clickhouse-key");
  const inParams = search.has("user") || search.has("password");
  const schemes = [authorization !== "", headerUser !== "" || headerKey !== "", inParams].filter(Boolean).length;
  if (schemes > 1) {
    throw exceptions.authentication("Invalid authentication: it is not allowed to use several authentication schemes simultaneously");
  }
  if (authorization) {
    const [scheme, encoded] = authorization.split(" ");
    if (scheme?.toLowerCase() !== "basic" || !encoded) {
      throw exceptions.authentication(`Invalid authentication: '${scheme}' HTTP Authorization scheme is not supported`);
    }
    const decoded = Buffer.from(encoded, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    return colon < 0 ? { user: decoded, password: "" } : { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
  }
  if (headerUser || headerKey) return { user: headerUser || "default", password: headerKey };
  return { user: search.get("user") || "default", password: search.get("password") ?? "" };
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function decode(body: Buffer, encoding: string | undefined): Buffer {
  switch (encoding?.trim().toLowerCase()) {
    case undefined:
    case "":
    case "identity":
    case "none":
      return body;
    case "gzip":
      return gunzipSync(body);
    case "deflate":
      return inflateSync(body);
    case "br":
      return brotliDecompressSync(body);
    default:
      throw exceptions.notImplemented(`Content-Encoding ${encoding} is not supported by this fixture (gzip, deflate, br are)`);
  }
}

/** The first of gzip, deflate, br the client accepts (a server also knows zstd, xz, lz4, bz2, snappy). */
function chooseEncoding(accept: string): QueryRequest["responseEncoding"] {
  const offered = accept.split(",").map((e) => e.trim().split(";")[0]!.toLowerCase());
  return (["gzip", "deflate", "br"] as const).find((e) => offered.includes(e));
}

/** Text fields of a multipart/form-data body (the client's `use_multipart_params`). Files are external tables: not emulated. */
function parseMultipart(body: Buffer, contentType: string): [string, string][] {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  const marker = boundary?.[1] ?? boundary?.[2];
  if (!marker) throw exceptions.badArguments("multipart/form-data without a boundary");
  const fields: [string, string][] = [];
  for (const part of body.toString("utf8").split(`--${marker.trim()}`).slice(1)) {
    if (part.startsWith("--")) break;
    const split = part.indexOf("\r\n\r\n");
    if (split < 0) continue;
    const headers = part.slice(0, split);
    const disposition = /content-disposition:[^\r\n]*name="([^"]*)"/i.exec(headers);
    if (!disposition) continue;
    if (/filename=/i.test(headers)) throw exceptions.notImplemented("External tables (file parts of multipart/form-data) are not emulated");
    fields.push([disposition[1]!, part.slice(split + 4).replace(/\r\n$/, "")]);
  }
  return fields;
}
