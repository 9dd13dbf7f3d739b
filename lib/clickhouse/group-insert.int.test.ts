import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestClickHouse, testClickHouseEngine, type TestClickHouse } from "@/db/test/clickhouse";
import { groupInsert } from "./group-insert.server";

describe(`group commit of small inserts (${testClickHouseEngine()})`, () => {
  let ch: TestClickHouse;
  beforeAll(async () => {
    ch = await openTestClickHouse();
    await ch.store.client.command({ query: "CREATE TABLE grouped (caller UInt32, n UInt32) ENGINE = MergeTree ORDER BY (caller, n)" });
  });
  afterAll(async () => {
    await ch?.cleanup();
  });

  const query = async <T>(sql: string) => (await ch.store.client.query({ query: sql, format: "JSONEachRow" })).json<T>();
  /** Each insert is a block number of the table. */
  const inserts = async () =>
    Number(
      (
        await query<{ n: string }>(
          "SELECT max(max_block_number) AS n FROM system.parts WHERE database = currentDatabase() AND table = 'grouped'",
        )
      )[0]?.n ?? 0,
    );

  it("writes a lone caller's rows at once", async () => {
    await groupInsert(ch.store.client, "grouped", [{ caller: 0, n: 1 }]);
    expect(await query("SELECT caller, n FROM grouped")).toEqual([{ caller: 0, n: 1 }]);
    expect(await inserts()).toBe(1);
  });

  it("shares inserts among concurrent callers, each settling once its rows are written", async () => {
    const before = await inserts();
    const callers = Array.from({ length: 20 }, (_, i) => i + 1);
    const settled = await Promise.all(
      callers.map(async (caller) => {
        await groupInsert(ch.store.client, "grouped", [
          { caller, n: 1 },
          { caller, n: 2 },
        ]);
        // Written by the time the caller's promise resolves.
        return Number((await query<{ c: string }>(`SELECT count() AS c FROM grouped WHERE caller = ${caller}`))[0]!.c);
      }),
    );
    expect(settled).toEqual(callers.map(() => 2));
    const made = (await inserts()) - before;
    expect(made).toBeGreaterThanOrEqual(1);
    expect(made).toBeLessThan(20);
  });

  it("fails only the caller whose rows are bad", async () => {
    const before = Number((await query<{ c: string }>("SELECT count() AS c FROM grouped"))[0]!.c);
    const results = await Promise.allSettled([
      groupInsert(ch.store.client, "grouped", [{ caller: 100, n: 1 }]),
      groupInsert(ch.store.client, "grouped", [{ caller: 101, n: 1 }]),
      groupInsert(ch.store.client, "grouped", [{ caller: "not a number", n: 1 }]),
      groupInsert(ch.store.client, "grouped", [{ caller: 103, n: 1 }]),
    ]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "fulfilled", "rejected", "fulfilled"]);
    expect(Number((await query<{ c: string }>("SELECT count() AS c FROM grouped"))[0]!.c)).toBe(before + 3);
  });
});
