import { readdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestClickHouse, testClickHouseEngine, type TestClickHouse } from "@/db/test/clickhouse";
import { openClickHouse } from "./client.server";

const engine = testClickHouseEngine();

describe(`ClickHouse store on ${engine}`, () => {
  let ch: TestClickHouse;
  beforeAll(async () => {
    ch = await openTestClickHouse();
  });
  afterAll(async () => {
    await ch.cleanup();
  });

  it("applies the ordered migrations and records them", async () => {
    const status = await ch.store.migrations();
    expect(status.known).toBeGreaterThan(0);
    expect(status.applied).toBe(status.known);
    // The newest file in db/clickhouse, whichever branch added it.
    const newest = readdirSync(path.join(process.cwd(), "db", "clickhouse"))
      .filter((f) => f.endsWith(".sql"))
      .sort()
      .at(-1);
    expect(status.latest).toBe(newest?.replace(/\.sql$/, ""));
    expect(await ch.store.version()).toMatch(/^\d+\.\d+/);
  });

  it("works in the configured database, with typed parameters and 64-bit integers as strings", async () => {
    await ch.store.client.insert({
      table: "app_events",
      values: [
        { instance_id: "a", kind: "test", app_version: "t", detail: "x" },
        { instance_id: "b", kind: "test", app_version: "t", detail: "y" },
      ],
      format: "JSONEachRow",
    });
    const rs = await ch.store.client.query({
      query:
        "SELECT currentDatabase() AS db, count() AS n FROM app_events WHERE kind = {kind:String} AND detail IN {details:Array(String)}",
      query_params: { kind: "test", details: ["x", "y", "'; DROP TABLE app_events; --"] },
      format: "JSONEachRow",
    });
    expect(await rs.json()).toEqual([{ db: ch.options.database, n: "2" }]);
  });

  it("is idempotent: reopening applies nothing twice and keeps the rows", async () => {
    await ch.store.close();
    ch.store = await openClickHouse(ch.options);
    const status = await ch.store.migrations();
    expect(status.applied).toBe(status.known);
    const rs = await ch.store.client.query({ query: "SELECT count() AS n FROM schema_migrations", format: "JSONEachRow" });
    expect(await rs.json()).toEqual([{ n: String(status.known) }]);
    const events = await ch.store.client.query({ query: "SELECT count() AS n FROM app_events WHERE kind = 'test'", format: "JSONEachRow" });
    expect(await events.json()).toEqual([{ n: "2" }]);
  });
});
