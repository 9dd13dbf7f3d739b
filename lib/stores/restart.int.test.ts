import { rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { appMeta } from "@/db/schema";
import { createTestDatabase, tmpDir } from "@/db/test/postgres";
import { parseEnv } from "@/lib/env.server";
import { openStores } from "./index.server";

// A file of its own: chDB allows one data folder per process, and these tests need a fresh one.

describe("stores with a real Postgres server and embedded ClickHouse", () => {
  it("takes over a stale lock, then keeps data across a restart", async () => {
    const database = await createTestDatabase();
    const dataDir = await tmpDir("mixed");
    // Left by a process that no longer exists.
    await writeFile(path.join(dataDir, "llmops.lock"), "999999999\n");
    const env = parseEnv({ DATABASE_URL: database.url, LLMOPS_DATA_DIR: dataDir });
    try {
      let stores = await openStores(env);
      expect(stores.postgres.kind).toBe("server");
      expect(stores.clickhouse.kind).toBe("embedded");
      await stores.postgres.db.insert(appMeta).values({ key: "k", value: 1 });
      await stores.clickhouse.client.insert({
        table: "app_events",
        values: [{ instance_id: "i", kind: "restart-test", app_version: "t" }],
        format: "JSONEachRow",
      });
      await stores.close();

      stores = await openStores(env);
      expect(await stores.postgres.db.select().from(appMeta)).toMatchObject([{ key: "k", value: 1 }]);
      const rs = await stores.clickhouse.client.query({
        query: "SELECT count() AS n FROM app_events WHERE kind = 'restart-test'",
        format: "JSONEachRow",
      });
      expect(await rs.json()).toEqual([{ n: "1" }]);
      await stores.close();
    } finally {
      await database.drop();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
