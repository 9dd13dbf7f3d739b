import { gzipSync } from "node:zlib";
import { ClickHouseLogLevel, createClient, type ClickHouseClient, type ClickHouseError } from "@clickhouse/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startClickHouseHttp, type ClickHouseHttpFixture } from "./server";

/** The fixture answers as a ClickHouse server does, to the official client and to plain HTTP. */
describe("ClickHouse HTTP fixture over chDB", () => {
  let fixture: ClickHouseHttpFixture;
  let client: ClickHouseClient;
  const clients: ClickHouseClient[] = [];
  const open = (config: Parameters<typeof createClient>[0] = {}) => {
    const c = createClient({ url: fixture.url, database: "fx", log: { level: ClickHouseLogLevel.OFF }, ...config });
    clients.push(c);
    return c;
  };
  const json = async <T>(c: ClickHouseClient, query: string, query_params?: Record<string, unknown>) =>
    (await c.query({ query, query_params, format: "JSONEachRow" })).json<T>();
  const error = (promise: Promise<unknown>) =>
    promise.then(
      () => undefined,
      (e: unknown) => e as ClickHouseError,
    );

  beforeAll(async () => {
    fixture = await startClickHouseHttp();
    await createClient({ url: fixture.url }).command({ query: "CREATE DATABASE fx" });
    client = open();
    await client.command({ query: "CREATE TABLE t (id UInt64, s String, at DateTime64(3, 'UTC')) ENGINE = MergeTree ORDER BY id" });
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await fixture?.close();
  });

  it("answers ping, and refuses connections while stopped", async () => {
    const ping = await fetch(`${fixture.url}/ping`);
    expect([ping.status, await ping.text()]).toEqual([200, "Ok.\n"]);
    await fixture.stop();
    expect((await client.ping()).success).toBe(false);
    await expect(fetch(`${fixture.url}/ping`)).rejects.toThrow();
    await fixture.start();
    expect((await client.ping()).success).toBe(true);
  });

  it("runs queries in `database`, with typed parameters bound by the engine from the client's text", async () => {
    const values = [
      { id: 1, s: "it's a \\ back\tslash\nline", at: "2024-01-02 03:04:05.678" },
      { id: "18446744073709551615", s: "max", at: "2024-01-02 03:04:05.000" },
    ];
    const insert = await client.insert({ table: "t", values, format: "JSONEachRow" });
    expect(insert.summary?.written_rows).toBe("2");
    const rows = await json<{ db: string; n: string; texts: string[] }>(
      client,
      "SELECT currentDatabase() AS db, toString(count()) AS n, groupArray(s) AS texts FROM t WHERE s IN {texts:Array(String)} AND at > {after:DateTime64(3)} AND {nothing:Nullable(String)} IS NULL",
      { texts: values.map((v) => v.s), after: new Date("2024-01-01T00:00:00Z"), nothing: null },
    );
    expect(rows).toEqual([{ db: "fx", n: "2", texts: expect.arrayContaining(values.map((v) => v.s)) }]);
    expect(await json(client, "SELECT toString(max(id)) AS m FROM {table:Identifier}", { table: "t" })).toEqual([
      { m: "18446744073709551615" },
    ]);
  });

  it("answers errors with the server's status, code header and `Code: N. DB::Exception` body", async () => {
    const res = await fetch(`${fixture.url}/?database=fx`, { method: "POST", body: "SELECT * FROM missing" });
    expect(res.status).toBe(404);
    expect(res.headers.get("x-clickhouse-exception-code")).toBe("60");
    expect(await res.text()).toMatch(/^Code: 60\. DB::Exception: .*missing.*\(UNKNOWN_TABLE\) \(version \d+\.\d+[\d.]*\)\n$/s);
    // The client reads the type from the first `(UPPER)` in the message: here the bad token, as from a server.
    expect(await error(client.query({ query: "SELEC 1" }))).toMatchObject({ code: "62", type: "SELEC" });
    expect(await error(client.command({ query: "SELECT 1; SELECT 2" }))).toMatchObject({ type: "SYNTAX_ERROR" });
    expect((await error(open({ password: "wrong" }).query({ query: "SELECT 1" })))?.message).toMatch(/Authentication failed/);
    expect((await fetch(`${fixture.url}/?query=SELECT%201&user=default`, { headers: { "x-clickhouse-user": "default" } })).status).toBe(
      403,
    );
    expect((await fetch(`${fixture.url}/?query=${encodeURIComponent("INSERT INTO fx.t (id) VALUES (9)")}`)).status).toBe(500); // GET is read-only
  });

  it("applies per-query settings such as insert_deduplication_token (a replayed insert is written once)", async () => {
    await client.command({
      query: "CREATE TABLE d (id UInt32) ENGINE = MergeTree ORDER BY id SETTINGS non_replicated_deduplication_window = 100",
    });
    const insert = () =>
      client.insert({
        table: "d",
        values: [{ id: 1 }, { id: 2 }],
        format: "JSONEachRow",
        clickhouse_settings: { insert_deduplication_token: "batch-1" },
      });
    await insert();
    await insert();
    expect(await json(client, "SELECT toString(count()) AS n FROM d")).toEqual([{ n: "2" }]);
  });

  it("sends the X-ClickHouse headers a server sends", async () => {
    const rs = await client.query({ query: "SELECT 1 AS x", format: "JSONEachRow", query_id: "fixed-id" });
    await rs.json();
    expect(rs.query_id).toBe("fixed-id");
    expect(rs.response_headers).toMatchObject({ "x-clickhouse-query-id": "fixed-id", "x-clickhouse-format": "JSONEachRow" });
    expect(rs.response_headers["x-clickhouse-timezone"]).toBeTruthy();
    expect(JSON.parse(String(rs.response_headers["x-clickhouse-summary"]))).toMatchObject({ result_rows: "1" });
  });

  it("keeps each request's settings, USE and temporary tables to itself, unless it names a session", async () => {
    const threads = "SELECT toString(getSetting('max_threads')) AS m";
    const before = await json(client, threads);
    expect(await json(client, threads, undefined)).toEqual(before);
    expect(await (await client.query({ query: threads, format: "JSONEachRow", clickhouse_settings: { max_threads: 1 } })).json()).toEqual([
      { m: "1" },
    ]);
    expect(await json(client, threads)).toEqual(before);
    await client.command({ query: "USE system" });
    expect(await json(client, "SELECT currentDatabase() AS db")).toEqual([{ db: "fx" }]);

    const session = open({ session_id: "fixture-test" });
    await session.command({ query: "CREATE TEMPORARY TABLE tmp (a Int32)" });
    await session.command({ query: "INSERT INTO tmp VALUES (1), (2)" });
    expect(await json(session, "SELECT toString(count()) AS n FROM tmp")).toEqual([{ n: "2" }]);
    await session.query({ query: "SELECT 1", clickhouse_settings: { max_threads: 1 } });
    expect(await json(session, threads)).toEqual(before);
    expect((await error(client.query({ query: "SELECT * FROM tmp" })))?.type).toBe("UNKNOWN_TABLE");
  });

  it("compresses with gzip both ways when the client asks, and reads multipart parameters", async () => {
    const gz = open({ compression: { request: true, response: true } });
    await gz.insert({ table: "t", values: [{ id: 3, s: "gz", at: 0 }], format: "JSONEachRow" });
    expect(await json(gz, "SELECT s FROM t WHERE id = 3")).toEqual([{ s: "gz" }]);
    expect((await error(gz.query({ query: "SELECT * FROM missing" })))?.type).toBe("UNKNOWN_TABLE");
    const res = await fetch(`${fixture.url}/?enable_http_compression=1`, {
      method: "POST",
      headers: { "accept-encoding": "gzip", "content-encoding": "gzip" },
      body: gzipSync("SELECT 42"),
    });
    expect(res.headers.get("content-encoding")).toBe("gzip");
    expect(await res.text()).toBe("42\n"); // fetch decompresses

    const multipart = open({ use_multipart_params: true });
    const big = Array.from({ length: 2000 }, (_, i) => `id-${i}`);
    expect(await json(multipart, "SELECT length({ids:Array(String)}) AS n, {s:String} AS s", { ids: big, s: "a'b" })).toEqual([
      { n: 2000, s: "a'b" }, // 64-bit integers unquoted: the server's default since 25.8
    ]);
  });

  it("fails the next N inserts on demand, and holds inserts in slow mode until released", async () => {
    fixture.failNext(1);
    const failed = await error(client.insert({ table: "t", values: [{ id: 10, s: "x", at: 0 }], format: "JSONEachRow" }));
    expect(failed).toMatchObject({ code: "202", type: "TOO_MANY_SIMULTANEOUS_QUERIES" });
    fixture.slowInserts(600);
    const pending = client.insert({ table: "t", values: [{ id: 11, s: "slow", at: 0 }], format: "JSONEachRow" });
    await expect.poll(() => fixture.stats().insertsInFlight).toBe(1);
    expect(await json(client, "SELECT toString(count()) AS n FROM t WHERE id = 11")).toEqual([{ n: "0" }]);
    fixture.slowInserts(0);
    await pending;
    expect(await json(client, "SELECT toString(count()) AS n FROM t WHERE id IN (10, 11)")).toEqual([{ n: "1" }]);
  });
});
