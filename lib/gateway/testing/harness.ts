import { mkdtemp } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { openTestClickHouse, type TestClickHouse } from "@/db/test/clickhouse";
import { postgresBackends, type TestPostgres } from "@/db/test/postgres";
import type { Stores } from "@/lib/stores/index.server";
import { parseConfig } from "../config";
import type { Gateway } from "../gateway.server";
import { handleGatewayRequest } from "../http.server";
import { createGateway } from "../runtime.server";

/**
 * Integration-test harness: real stores (PGlite or the Postgres server, and chDB), a gateway built
 * from a config text, served by the same handler the app uses on a node:http server of its own.
 */
export interface TestStores {
  stores: Stores;
  pg: TestPostgres;
  ch: TestClickHouse;
  cleanup(): Promise<void>;
}

/** `clickhouseUrl`: a ClickHouse server of the test's own (such as the HTTP fixture), instead of the project's. */
export async function openTestStores(backend = postgresBackends[0]!, options: { clickhouseUrl?: string } = {}): Promise<TestStores> {
  const [pg, ch] = await Promise.all([backend.open(), openTestClickHouse({ url: options.clickhouseUrl })]);
  const stores: Stores = { postgres: pg.store, clickhouse: ch.store, close: async () => undefined };
  return { stores, pg, ch, cleanup: async () => void (await Promise.allSettled([pg.cleanup(), ch.cleanup()])) };
}

export interface TestGateway {
  gateway: Gateway;
  url: string;
  server: Server;
  close(): Promise<void>;
}

export async function startTestGateway(
  stores: Stores,
  configText: string,
  options: { random?: () => number; promptRefTtlMs?: number; spoolDir?: string | null; redisUrl?: string } = {},
): Promise<TestGateway> {
  // A spool folder of its own per gateway unless the test names one (to restart over it) or none.
  const spoolDir = options.spoolDir === undefined ? await mkdtemp(path.join(tmpdir(), "llmops-spool-")) : options.spoolDir;
  const gateway = await createGateway(stores, parseConfig(configText, "test.toml"), { ...options, spoolDir });
  const server = createServer((req, res) => void handleGatewayRequest(async () => gateway, req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    gateway,
    server,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await gateway.recorder.close(5_000);
      await Promise.allSettled([...gateway.providers.values()].map((p) => p.close?.()));
    },
  };
}

/** Rows of a table as JSON objects (ClickHouse types converted by the client). */
export async function rows<T>(stores: Stores, query: string, params: Record<string, unknown> = {}): Promise<T[]> {
  const result = await stores.clickhouse.client.query({ query, query_params: params, format: "JSONEachRow" });
  return result.json<T>();
}
