import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { TrackingContext } from "@/lib/tracking/context";
import { handleOtlpTraces } from "../ingest.server";

/**
 * A plain node:http server around the OTLP ingestion handler on given stores, for tests and the
 * benchmark: real OpenTelemetry exporters post to `${url}/v1/traces` exactly as to the app.
 */
function toRequest(req: IncomingMessage, body: Buffer): Request {
  const headers = new Headers();
  for (const [key, value] of Object.entries(req.headers)) {
    for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) headers.append(key, v);
  }
  const method = req.method ?? "GET";
  return new Request(`http://127.0.0.1${req.url ?? "/"}`, {
    method,
    headers,
    body: method === "GET" || method === "HEAD" ? undefined : new Uint8Array(body),
  });
}

export async function startOtlpServer(ctx: TrackingContext, port = 0): Promise<{ url: string; server: Server; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      void handleOtlpTraces(toRequest(req, Buffer.concat(chunks)), ctx).then(async (response) => {
        const out = Buffer.from(await response.arrayBuffer());
        res.writeHead(response.status, {
          "content-type": response.headers.get("content-type") ?? "application/octet-stream",
          "content-length": out.length,
        });
        res.end(out);
      });
    });
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}`,
    server,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
