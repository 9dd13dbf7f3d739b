import { randomBytes } from "node:crypto";
import { rm } from "node:fs/promises";
import { inject } from "vitest";
import { openClickHouse, type ClickHouseOptions, type ClickHouseStore } from "@/lib/clickhouse/client.server";
import { tmpDir } from "./postgres";

export interface TestClickHouse {
  store: ClickHouseStore;
  options: ClickHouseOptions;
  cleanup(): Promise<void>;
}

/**
 * The ClickHouse server tests use, if any: the HTTP fixture in the `int-http` project, else
 * TEST_CLICKHOUSE_URL (a real server); undefined means chDB, embedded.
 */
export function testClickHouseUrl(): string | undefined {
  // Benchmarks use these helpers outside vitest, where inject() has nothing to read.
  const injected = process.env.VITEST ? inject("clickhouseHttpUrl") : undefined;
  return injected ?? (process.env.TEST_CLICKHOUSE_URL || undefined);
}

/** "chDB" or "ClickHouse server", for test names. */
export const testClickHouseEngine = () => (testClickHouseUrl() ? "ClickHouse server" : "chDB");

/**
 * A migrated ClickHouse on a database of its own: chDB in a temporary folder by default, or the
 * server of testClickHouseUrl() (or `url`). chDB allows one folder per process, so open one per test file.
 */
export async function openTestClickHouse({ url = testClickHouseUrl() }: { url?: string } = {}): Promise<TestClickHouse> {
  const dataDir = await tmpDir("chdb");
  const options: ClickHouseOptions = {
    url,
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
