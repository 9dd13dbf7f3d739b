// Graceful stop of a node:http server (scripts/server.mjs, and the gateway process the shutdown
// tests spawn): `wrap` counts requests in flight; `drain()` stops accepting connections, answers
// any new request on a kept-alive socket with 503 and `Connection: close`, lets requests in flight
// finish for up to `graceMs`, closing each socket once its answer is out, then closes what is left.
// lib/lifecycle.server.ts calls the drain published under DRAIN before the shutdown hooks run.
import { Buffer } from "node:buffer";

export const DRAIN = Symbol.for("llmops.http.drain");

const MLFLOW = /^\/(ajax-)?api\/2\.0\//;

function refuse(req, res) {
  const message = "the server is shutting down; retry on another instance";
  const body = MLFLOW.test(req.url ?? "")
    ? { error_code: "TEMPORARILY_UNAVAILABLE", message }
    : { error: { message, type: "service_unavailable", code: "unavailable", param: null } };
  const text = JSON.stringify(body);
  res.writeHead(503, {
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
      if (stopping) {
        // Its socket is idle now: close it rather than wait for the keep-alive timeout.
        server.closeIdleConnections();
        if (inflight.size === 0) settled?.();
      }
    });
    return handler(req, res);
  };
  let draining;
  const drain = () => {
    draining ??= (async () => {
      stopping = true;
      // Answers still to be written end their connection.
      for (const res of inflight) if (!res.headersSent) res.setHeader("connection", "close");
      const closed = new Promise((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      if (inflight.size > 0) {
        log(`waiting for ${inflight.size} requests in flight (up to ${graceMs} ms)`);
        await new Promise((resolve) => {
          settled = resolve;
          setTimeout(resolve, graceMs).unref();
        });
      }
      if (inflight.size > 0) log(`${inflight.size} requests still in flight after ${graceMs} ms; closing their connections`);
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
