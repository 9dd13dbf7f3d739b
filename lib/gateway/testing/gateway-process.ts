/**
 * The app's gateway as a process of its own, for the shutdown and crash trials
 * (lib/gateway/shutdown-trials.ts): the same start-up (lib/lifecycle.server.ts: stores, migrations,
 * signals), the same gateway (config from LLMOPS_CONFIG, spool under LLMOPS_DATA_DIR) and the same
 * graceful HTTP drain as scripts/server.mjs, without Next.js (no build needed). Prints
 * `listening <port>` once it answers. Run with `tsx --conditions=react-server`.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { DRAIN, drainable } from "@/scripts/http-drain.mjs";
import { handleGatewayRequest } from "@/lib/gateway/http.server";
import { getGateway } from "@/lib/gateway/runtime.server";
import { start } from "@/lib/lifecycle.server";

await start();
await getGateway();
const server = createServer();
const http = drainable(server, { graceMs: 10_000, log: (message) => console.log(`[gateway-process] shutdown: ${message}`) });
(globalThis as Record<symbol, unknown>)[DRAIN] = http.drain;
server.on(
  "request",
  http.wrap((req, res) => void handleGatewayRequest(getGateway, req, res)),
);
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT ?? 0), "127.0.0.1", () => {
  console.log(`listening ${(server.address() as AddressInfo).port}`);
});
