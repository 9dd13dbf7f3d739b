import { spawn } from "node:child_process";
import { rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tmpDir } from "@/db/test/postgres";
import { parseEnv } from "@/lib/env.server";
import { checkHealth } from "./health.server";
import { openStores, type Stores } from "./index.server";

describe("stores on the embedded default (PGlite + chDB)", () => {
  let dataDir: string;
  let stores: Stores;
  beforeAll(async () => {
    dataDir = await tmpDir("stores");
    stores = await openStores(parseEnv({ LLMOPS_DATA_DIR: dataDir }));
  });
  afterAll(async () => {
    await stores.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("reports both stores healthy with their engines and migrations", async () => {
    const health = await checkHealth(async () => stores);
    expect(health.status).toBe("ok");
    expect(health.stores.postgres).toMatchObject({ ok: true, kind: "embedded", engine: "PGlite" });
    expect(health.stores.clickhouse).toMatchObject({ ok: true, kind: "embedded", engine: "chDB" });
    expect(health.stores.postgres.migrations?.applied).toBe(health.stores.postgres.migrations?.known);
    expect(health.stores.clickhouse.migrations?.applied).toBe(health.stores.clickhouse.migrations?.known);
  });

  it("refuses a data folder locked by another live process, with a clear message", async () => {
    const other = await tmpDir("locked");
    const holder = spawn("sleep", ["30"]);
    try {
      await writeFile(path.join(other, "llmops.lock"), `${holder.pid}\n`);
      await expect(openStores(parseEnv({ LLMOPS_DATA_DIR: other }))).rejects.toThrow(
        `The data folder ${other} is in use by another llmops process (pid ${holder.pid}). Stop that process, or set LLMOPS_DATA_DIR to another folder.`,
      );
    } finally {
      holder.kill();
      await rm(other, { recursive: true, force: true });
    }
  });

  it("reports a store that stopped answering as unavailable, with the reason", async () => {
    const broken: Stores = {
      ...stores,
      clickhouse: { ...stores.clickhouse, version: () => Promise.reject(new Error("connection reset")) },
    };
    const health = await checkHealth(async () => broken);
    expect(health.status).toBe("unavailable");
    expect(health.stores.postgres.ok).toBe(true);
    expect(health.stores.clickhouse).toMatchObject({ ok: false, error: "connection reset" });
  });

  it("reports both stores unavailable when they cannot be opened", async () => {
    const health = await checkHealth(() => Promise.reject(new Error("Cannot use Postgres at x (DATABASE_URL): refused")));
    expect(health.status).toBe("unavailable");
    expect(health.stores.postgres.error).toMatch(/DATABASE_URL/);
  });
});
