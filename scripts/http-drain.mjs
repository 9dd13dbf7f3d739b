// Graceful stop of a node:http server (scripts/server.mjs, and the gateway process the shutdown
// tests spawn): `wrap` counts requests in flight; `drain()` stops accepting connections, answers
// any new request on a kept-alive socket with 503 and `Connection: close`, lets requests in flight
// finish for up to `graceMs` (their answers carry `Connection: close`), then closes every socket.
// lib/lifecycle.server.ts calls the drain published under DRAIN before the shutdown hooks run.
import { Buffer } from "node:buffer";
import net from "node:net";
import { securityHeaders } from "./http-guard.mjs";

export const DRAIN = Symbol.for("llmops.http.drain");

const MLFLOW = /^\/(ajax-)?api\/2\.0\//;

function refuse(req, res) {
  const message = "the server is shutting down; retry on another instance";
  const body = MLFLOW.test(req.url ?? "")
    ? { error_code: "TEMPORARILY_UNAVAILABLE", message }
    : { error: { message, type: "service_unavailable", code: "unavailable", param: null } };
  const text = JSON.stringify(body);
  res.writeHead(503, {
    ...securityHeaders({ api: true }),
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
    connection: "close",
    "retry-after": "1",
  });
  res.end(text);
}

export function drainable(server, { graceMs = 10_000, log = () => undefined } = {}) {
  let stopping = false;
  const inflight = new Set();
  let settled;
  const wrap = (handler) => (req, res) => {
    if (stopping) return refuse(req, res);
    inflight.add(res);
    res.once("close", () => {
      inflight.delete(res);
      if (stopping && inflight.size === 0) settled?.();
    });
    return handler(req, res);
  };
  let draining;
  const drain = () => {
    draining ??= (async () => {
      stopping = true;
      // Answers still to be written end their connection.
      for (const res of inflight) if (!res.headersSent) res.setHeader("connection", "close");
      // No new connections; a request arriving meanwhile on a kept-alive one gets the 503 above.
      // (net.Server's close: http.Server's would also close the idle kept-alive sockets at once.)
      const closed = new Promise((resolve) => net.Server.prototype.close.call(server, () => resolve()));
      if (inflight.size > 0) {
        log(`waiting for ${inflight.size} requests in flight (up to ${graceMs} ms)`);
        await new Promise((resolve) => {
          settled = resolve;
          setTimeout(resolve, graceMs).unref();
        });
      }
      if (inflight.size > 0) log(`${inflight.size} requests still in flight after ${graceMs} ms; closing their connections`);
      server.closeIdleConnections();
      server.closeAllConnections();
      await closed;
    })();
    return draining;
  };
  return {
    wrap,
    drain,
    get stopping() {
      return stopping;
    },
  };
}
