#!/usr/bin/env node
// The app's HTTP server (started by scripts/start.mjs): one node:http server in one process.
// The gateway's hot paths (/openai/v1/*, /api/inference, /api/feedback, TensorZero's /inference,
// /feedback, /health, /status) go to its lean handler,
// which instrumentation.ts publishes on globalThis once the stores and the config are loaded;
// everything else goes to Next.js. Both share the process's stores and shutdown hooks.
// `--dev` serves Next in development mode (npm run dev), the gateway paths included.
// Every request passes scripts/http-guard.mjs first: a Host name that is neither localhost nor in
// LLMOPS_PUBLIC_URL is refused (DNS rebinding; IP addresses pass), and every answer carries the
// security headers.
// It listens on 127.0.0.1 unless HOST says otherwise (docker-compose sets 0.0.0.0).
import { createServer } from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { DRAIN, drainable } from "./http-drain.mjs";
import { guardRequest, isLoopbackHost, isWildcardHost, parseListenHost, parsePublicOrigins } from "./http-guard.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const port = Number(process.env.PORT || 3000);
let hostname;
let publicOrigins;
try {
  hostname = parseListenHost(process.env.HOST);
  publicOrigins = parsePublicOrigins(process.env.LLMOPS_PUBLIC_URL);
} catch (error) {
  console.error(`[llmops] Invalid settings:\n  ${error.message}`);
  process.exit(1);
}
const bound = hostname.includes(":") ? `[${hostname}]` : hostname;
// Listening on one named host means it is how clients reach the app: it answers to that name too.
if (!isWildcardHost(hostname) && !isLoopbackHost(bound)) publicOrigins.push(...parsePublicOrigins(`http://${bound}:${port}`));
const dev = process.argv.includes("--dev");
if (dev) process.env.NODE_ENV ??= "development";
const { default: next } = await import("next");

// instrumentation.ts resolves this once the stores are open and the gateway's config is loaded
// (it may finish after prepare()); gateway requests arriving earlier wait for it.
let installed;
const ready = new Promise((resolve) => (installed = resolve));
globalThis[Symbol.for("llmops.gateway.ready")] = installed;
const GATEWAY_PATHS = new Set([
  "/openai/v1/chat/completions",
  "/openai/v1/embeddings",
  "/openai/v1/responses",
  "/openai/v1/models",
  "/api/inference",
  "/api/feedback",
  "/api/gateway/status",
  "/api/gateway/dead-letters/retry",
  // TensorZero's API at the root (lib/gateway/tensorzero/paths.ts)
  "/inference",
  "/feedback",
  "/health",
  "/status",
]);
const isGatewayPath = (url = "/") => {
  const raw = url.split("?")[0];
  // Everything under /openai/v1 is the gateway's: paths it does not serve get a JSON 404 there.
  if (raw === "/openai/v1" || raw.startsWith("/openai/v1/")) return true;
  return GATEWAY_PATHS.has(raw.length > 1 && raw.endsWith("/") ? raw.slice(0, -1) : raw);
};

const app = next({ dev, dir: root, port, hostname: "localhost" });
const handleNext = app.getRequestHandler();
await app.prepare();

let gateway;
void ready.then((handler) => (gateway = handler));
const server = createServer();
// On SIGTERM/SIGINT, lib/lifecycle.server.ts drains HTTP first (no new connections, 503 +
// `Connection: close` to new requests, requests in flight finish), then flushes and closes stores.
const http = drainable(server, { graceMs: 10_000, log: (message) => console.log(`[llmops] shutdown: ${message}`) });
globalThis[DRAIN] = http.drain;
server.on(
  "request",
  http.wrap((req, res) => {
    const toGateway = isGatewayPath(req.url);
    if (!guardRequest(req, res, { publicOrigins, gateway: toGateway, dev })) return;
    // The path as received, for the sign-in redirect's ?next= (lib/auth/page.server.ts), set over
    // any a client sent: a server component cannot read its own URL.
    if (!toGateway) req.headers["x-llmops-path"] = req.url ?? "/";
    if (!toGateway) void handleNext(req, res);
    else if (gateway) gateway.handle(req, res);
    else void ready.then((handler) => handler.handle(req, res));
  }),
);
server.keepAliveTimeout = 65_000;
server.listen(port, hostname, () => {
  // The URL to open, then what is actually bound. Loopback prints localhost: Next's dev server
  // refuses its own dev resources to other names (allowedDevOrigins), 127.0.0.1 included.
  const where = isWildcardHost(hostname)
    ? `http://localhost:${port} (listening on every interface, ${bound}:${port}${publicOrigins.length ? "" : "; others reach it by IP address, or by a name given in LLMOPS_PUBLIC_URL"})`
    : isLoopbackHost(bound)
      ? `http://localhost:${port} (listening on ${bound} only: this machine; set HOST=0.0.0.0 to serve others)`
      : `http://${bound}:${port}`;
  const origins = publicOrigins.length ? `; answers as ${publicOrigins.map((o) => o.origin).join(", ")} , localhost and IP addresses` : "";
  console.log(`[llmops] listening on ${where}${origins}${dev ? " (dev)" : ""}`);
});
