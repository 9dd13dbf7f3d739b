import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { rm } from "node:fs/promises";
import { createServer } from "node:net";
import path from "node:path";
import { createClient } from "@clickhouse/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startClickHouseHttp, type ClickHouseHttpFixture } from "@/db/test/clickhouse-http/server";
import { testClickHouseUrl } from "@/db/test/clickhouse";
import { createTestDatabase, tmpDir } from "@/db/test/postgres";
import { parseEnv, type Env } from "@/lib/env.server";
import { checkHealth } from "./health.server";
import { openStores } from "./index.server";

/** A URL nothing listens on: a port the system gave us, then closed. */
async function refusedUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

// The server path as `npm start` opens it (CLICKHOUSE_URL), against TEST_CLICKHOUSE_URL or the HTTP fixture.
describe("stores on servers (Postgres, and ClickHouse over HTTP)", () => {
  let fixture: ClickHouseHttpFixture | undefined;
  let clickhouseUrl: string;
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let dataDir: string;
  let env: Env;
  beforeAll(async () => {
    const configured = testClickHouseUrl();
    if (!configured) fixture = await startClickHouseHttp();
    clickhouseUrl = configured ?? fixture!.url;
    [database, dataDir] = await Promise.all([createTestDatabase(), tmpDir("servers")]);
    env = parseEnv({
      DATABASE_URL: database.url,
      CLICKHOUSE_URL: clickhouseUrl,
      CLICKHOUSE_DATABASE: `llmops_t_${randomBytes(6).toString("hex")}`,
      LLMOPS_DATA_DIR: dataDir,
    });
  });
  afterAll(async () => {
    const admin = createClient({ url: clickhouseUrl });
    await admin.command({ query: `DROP DATABASE IF EXISTS ${env.CLICKHOUSE_DATABASE}` }).catch(() => undefined);
    await admin.close();
    await database?.drop();
    await rm(dataDir, { recursive: true, force: true });
    await fixture?.close();
  });

  it("starts two app servers at once on the same databases, migrated once, with no lock on the data folder", async () => {
    const [a, b] = await Promise.all([openStores(env), openStores(env)]);
    try {
      for (const stores of [a, b]) {
        const health = await checkHealth(async () => stores);
        expect(health.status).toBe("ok");
        expect(health.stores.postgres).toMatchObject({ ok: true, kind: "server", engine: "PostgreSQL" });
        expect(health.stores.clickhouse).toMatchObject({ ok: true, kind: "server", engine: "ClickHouse" });
        expect(health.stores.clickhouse.version).toMatch(/^\d+\.\d+/);
        expect(health.stores.clickhouse.migrations?.applied).toBe(health.stores.clickhouse.migrations?.known);
      }
      // App servers are stateless: nothing in the data folder says which process owns it.
      expect(existsSync(path.join(dataDir, "llmops.lock"))).toBe(false);
      const rs = await a.clickhouse.client.query({ query: "SELECT currentDatabase() AS db", format: "JSONEachRow" });
      expect(await rs.json()).toEqual([{ db: env.CLICKHOUSE_DATABASE }]);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it("stops start-up with a message naming CLICKHOUSE_URL when the server refuses connections", async () => {
    const url = await refusedUrl();
    await expect(openStores({ ...env, CLICKHOUSE_URL: url })).rejects.toThrow(`Cannot use ClickHouse at ${url}/ (CLICKHOUSE_URL)`);
  });

  it("stops start-up when the server refuses the credentials, with the server's reason", async () => {
    await expect(openStores({ ...env, CLICKHOUSE_PASSWORD: "wrong" })).rejects.toThrow(/CLICKHOUSE_URL.*Authentication failed/);
  });
});
