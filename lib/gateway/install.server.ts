import "server-only";
import type { IncomingMessage, ServerResponse } from "node:http";
import { handleGatewayRequest } from "./http.server";
import { configPath, getGateway } from "./runtime.server";

/**
 * What the custom server (scripts/server.mjs) calls for the gateway's paths. Next.js compiles this
 * module with the app (through instrumentation.ts), so the lean handler and the pages share one
 * module graph, the process's stores and its shutdown hooks. The server's path list must match
 * GATEWAY_PATHS in http.server.ts (a unit test checks).
 */
export interface GatewayHttp {
  handle(req: IncomingMessage, res: ServerResponse): void;
}

/** Set by scripts/server.mjs: called with the handler once the gateway is ready. */
export const GATEWAY_READY = Symbol.for("llmops.gateway.ready");

/** Loads the config (stopping start-up on an error) and hands the handler to the server. */
export async function installGateway(): Promise<void> {
  try {
    const gateway = await getGateway();
    console.log(
      `[llmops] gateway ready: ${configPath().file} (${Object.keys(gateway.config.functions).length} functions, ${Object.keys(gateway.config.models).length} models, ${gateway.providers.size} providers)`,
    );
  } catch (error) {
    console.error(`[llmops] cannot start the gateway: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
  const http: GatewayHttp = {
    handle: (req, res) => void handleGatewayRequest(getGateway, req, res),
  };
  (globalThis as { [GATEWAY_READY]?: (http: GatewayHttp) => void })[GATEWAY_READY]?.(http);
}
