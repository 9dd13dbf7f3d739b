import { randomBytes } from "node:crypto";
import { rm } from "node:fs/promises";
import { openClickHouse, type ClickHouseOptions, type ClickHouseStore } from "@/lib/clickhouse/client.server";
import { tmpDir } from "./postgres";

export interface TestClickHouse {
  store: ClickHouseStore;
  options: ClickHouseOptions;
  cleanup(): Promise<void>;
}

/**
 * A migrated ClickHouse on a database of its own: chDB in a temporary folder by default, or the
 * server at TEST_CLICKHOUSE_URL. chDB allows one folder per process, so open one per test file.
 */
export async function openTestClickHouse(): Promise<TestClickHouse> {
  const dataDir = await tmpDir("chdb");
  const options: ClickHouseOptions = {
    url: process.env.TEST_CLICKHOUSE_URL,
    username: process.env.TEST_CLICKHOUSE_USER ?? "default",
    password: process.env.TEST_CLICKHOUSE_PASSWORD ?? "",
    database: `llmops_t_${randomBytes(6).toString("hex")}`,
    dataDir,
    connectTimeoutMs: 10_000,
  };
  const store = await openClickHouse(options);
  return {
    store,
    options,
    async cleanup() {
      if (options.url) await store.client.command({ query: `DROP DATABASE IF EXISTS ${options.database}` }).catch(() => undefined);
      await store.close().catch(() => undefined);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
