import { randomUUID } from "node:crypto";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { hostname, tmpdir } from "node:os";
import path from "node:path";
import { brotliCompressSync, constants, deflateSync, gzipSync } from "node:zlib";
import { ChdbEngine } from "./engine";
import { ServerException, exceptionText, exceptions, fromEngineError, httpStatusFor } from "./errors";
import { Faults, type FailureOptions, type FaultStats } from "./faults";
import { readQueryRequest, type QueryRequest } from "./request";
import { statementShape } from "./sql";

export type { FailureOptions, FaultStats };

export interface ClickHouseHttpOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** chDB's data folder; a temporary one (removed by close()) by default. One process may use a folder at a time. */
  dataDir?: string;
  user?: string;
  password?: string;
  maxConcurrentQueries?: number;
}

export interface ClickHouseHttpFixture {
  url: string;
  port: number;
  dataDir: string;
  /** The engine's version, as `SELECT version()` answers. */
  version: string;
  /** Refuses connections until start(): stops listening, lets requests in flight finish, closes every connection. */
  stop(options?: { abort?: boolean }): Promise<void>;
  start(): Promise<void>;
  slowInserts(seconds: number): void;
  failNext(n: number, options?: FailureOptions): void;
  /** Ends slow mode and pending failures. */
  reset(): void;
  stats(): FaultStats & { listening: boolean };
  close(): Promise<void>;
}

/** Serves ClickHouse's HTTP interface over chDB; see README.md beside this file for what it emulates. */
export async function startClickHouseHttp(options: ClickHouseHttpOptions = {}): Promise<ClickHouseHttpFixture> {
  const ownsDir = !options.dataDir;
  const dataDir = options.dataDir ?? (await mkdtemp(path.join(tmpdir(), "llmops-chhttp-")));
  await mkdir(dataDir, { recursive: true });
  const engine = await ChdbEngine.open(dataDir, options.maxConcurrentQueries);
  const faults = new Faults();
  const user = options.user ?? "default";
  const password = options.password ?? "";
  const running = new Set<string>();
  const displayName = hostname();
  let listening = false;

  const busy = new Map<Socket, number>();
  const server = createServer({ maxHeaderSize: 1 << 20, keepAliveTimeout: 10_000 }, (req, res) => {
    const socket = req.socket;
    if (!listening) return void socket.destroy();
    busy.set(socket, (busy.get(socket) ?? 0) + 1);
    res.on("close", () => {
      busy.set(socket, (busy.get(socket) ?? 1) - 1);
      if (!listening) socket.destroy();
    });
    void handle(req, res);
  });
  server.on("connection", (socket) => {
    busy.set(socket, 0);
    socket.on("close", () => busy.delete(socket));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://clickhouse");
    res.setHeader("X-ClickHouse-Server-Display-Name", displayName);
    const method = req.method ?? "GET";
    if (["/ping", "/replicas_status"].includes(url.pathname) || (url.pathname === "/" && method === "GET" && !url.search)) {
      if (method !== "GET" && method !== "HEAD") return send(res, 405, "text/plain; charset=UTF-8", "Method not allowed\n");
      return send(res, 200, "text/html; charset=UTF-8", "Ok.\n");
    }
    if (url.pathname !== "/") {
      return send(res, 404, "text/plain; charset=UTF-8", `There is no handle ${url.pathname}\n\nUse / or /ping for health checks.\n`);
    }
    let request: QueryRequest | undefined;
    let queryId: string | undefined;
    try {
      request = await readQueryRequest(req, url);
      if (request.user !== user || request.password !== password) {
        throw exceptions.authentication(
          `${request.user}: Authentication failed: password is incorrect, or there is no user with such name`,
        );
      }
      queryId = request.queryId ?? randomUUID();
      if (running.has(queryId)) throw exceptions.sameQueryId(queryId);
      running.add(queryId);
      res.setHeader("X-ClickHouse-Query-Id", queryId);
      const shape = statementShape(request.query);
      const parsed = request;
      const result = await faults.around(shape, () => engine.execute(parsed, shape));
      if (!shape.insert) res.setHeader("X-ClickHouse-Format", result.format);
      res.setHeader("X-ClickHouse-Timezone", result.timezone);
      res.setHeader("X-ClickHouse-Summary", JSON.stringify(result.summary));
      send(res, 200, contentType(shape.insert ? "TabSeparated" : result.format), result.body, request);
    } catch (error) {
      const exception = error instanceof ServerException ? error : fromEngineError(error);
      res.setHeader("X-ClickHouse-Exception-Code", String(exception.code));
      send(res, httpStatusFor(exception.type), "text/plain; charset=UTF-8", exceptionText(exception, engine.version), request);
    } finally {
      if (queryId) running.delete(queryId);
    }
  }

  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, options.host ?? "127.0.0.1", () => {
        server.off("error", reject);
        listening = true;
        resolve((server.address() as AddressInfo).port);
      });
    });
  const port = await listen(options.port ?? 0);
  const host = options.host && options.host !== "0.0.0.0" ? options.host : "127.0.0.1";

  const fixture: ClickHouseHttpFixture = {
    url: `http://${host}:${port}`,
    port,
    dataDir,
    version: engine.version,
    async stop({ abort = false } = {}) {
      if (!listening) return;
      listening = false;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const [socket, n] of busy) if (abort || n === 0) socket.destroy();
      await closed;
    },
    async start() {
      if (!listening) await listen(port);
    },
    slowInserts: (seconds) => faults.slowInserts(seconds),
    failNext: (n, failure) => faults.failNext(n, failure),
    reset: () => faults.reset(),
    stats: () => ({ ...faults.counters, listening }),
    async close() {
      faults.reset();
      await fixture.stop({ abort: true });
      await engine.close();
      if (ownsDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
  return fixture;
}

function send(res: ServerResponse, status: number, type: string, body: string | Uint8Array, request?: QueryRequest): void {
  let data = typeof body === "string" ? Buffer.from(body) : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const encoding = request?.responseEncoding;
  if (encoding) {
    const level = request.compressionLevel;
    if (encoding === "gzip") data = gzipSync(data, level === undefined ? {} : { level });
    else if (encoding === "deflate") data = deflateSync(data, level === undefined ? {} : { level });
    else data = brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 4 } });
    res.setHeader("Content-Encoding", encoding);
  }
  res.writeHead(status, { "Content-Type": type, "Content-Length": data.length });
  res.end(data);
}

/** The Content-Type a server gives each output format. */
function contentType(format: string): string {
  if (/^(JSON|NDJSON)/i.test(format)) return "application/json; charset=UTF-8";
  if (/^(TabSeparated|TSV)/i.test(format)) return "text/tab-separated-values; charset=UTF-8";
  if (/^CSV/i.test(format)) return `text/csv; charset=UTF-8; header=${/WithNames/i.test(format) ? "present" : "absent"}`;
  if (/^(Native|RowBinary|Parquet|Arrow|ORC|Avro|CapnProto|Protobuf|MsgPack|Npy|BSONEachRow)/i.test(format)) {
    return "application/octet-stream";
  }
  return "text/plain; charset=UTF-8";
}
