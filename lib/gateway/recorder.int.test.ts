import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestStores, rows, startTestGateway, type TestGateway, type TestStores } from "./testing/harness";

const CONFIG = `
[recorder]
batch_size = 50
flush_ms = 50
max_buffered_rows = 400

[providers.echo]
type = "dummy"
latency_ms = 0
ttft_ms = 0

[models.m]
routing = [{ provider = "echo" }]

[functions.f.variants.v]
model = "m"
user = "{{i}}"
`;

const count = async (env: TestStores) => Number((await rows<{ n: string }>(env.stores, "SELECT count() AS n FROM inferences"))[0]!.n);

describe("the recorder while ClickHouse refuses writes", () => {
  let env: TestStores;
  let gw: TestGateway;
  /** Inferences sent by the steady-traffic test; later counts include them. */
  let steady = 0;
  beforeAll(async () => {
    env = await openTestStores();
    gw = await startTestGateway(env.stores, CONFIG);
  });
  afterAll(async () => {
    await gw?.close();
    await env?.cleanup();
  });

  const send = (n: number) =>
    Promise.all(
      Array.from({ length: n }, (_, i) =>
        fetch(`${gw.url}/api/inference`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ function_name: "f", input: { variables: { i } } }),
        }).then((r) => r.status),
      ),
    );

  it("writes batches by size and time", async () => {
    expect(new Set(await send(120))).toEqual(new Set([200]));
    await expect.poll(() => gw.gateway.recorder.stats().buffered, { timeout: 5_000 }).toBe(0);
    expect(await count(env)).toBe(120);
    expect(gw.gateway.recorder.stats()).toMatchObject({ dropped: 0, written: 240 });
  });

  it("writes each table once per flush under steady traffic, leaving rows that arrive meanwhile to the next one", async () => {
    // Every insert is a block number of the table (and a new part in each of its materialized views).
    const inserts = async () =>
      Object.fromEntries(
        (
          await rows<{ table: string; n: string }>(
            env.stores,
            "SELECT table, max(max_block_number) AS n FROM system.parts WHERE database = currentDatabase() AND table IN ('inferences', 'model_calls') GROUP BY table",
          )
        ).map((r) => [r.table, Number(r.n)]),
      );
    await expect.poll(() => gw.gateway.recorder.stats().buffered, { timeout: 5_000 }).toBe(0);
    const before = await inserts();
    const until = Date.now() + 1_500;
    let sent = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (Date.now() < until) {
          expect(await send(1)).toEqual([200]);
          sent += 1;
        }
      }),
    );
    // Counted before any assertion, so a failure here does not cascade into the later tests' counts.
    steady = sent;
    await expect.poll(() => gw.gateway.recorder.stats().buffered, { timeout: 5_000 }).toBe(0);
    const after = await inserts();
    const inferenceInserts = after.inferences! - (before.inferences ?? 0);
    const callInserts = after.model_calls! - (before.model_calls ?? 0);
    // Both tables are written by the same flushes: an inference and its model call are buffered together.
    expect(sent).toBeGreaterThan(100);
    expect(inferenceInserts).toBeGreaterThan(0);
    expect(inferenceInserts).toBeLessThanOrEqual(callInserts + 1);
    expect(await count(env)).toBe(120 + sent);
  });

  it("keeps answering while the table is unavailable, then writes the backlog when it returns", async () => {
    const client = env.stores.clickhouse.client;
    await client.command({ query: "RENAME TABLE inferences TO inferences_away" });
    try {
      expect(new Set(await send(60))).toEqual(new Set([200]));
      await expect.poll(() => gw.gateway.recorder.stats().failedFlushes, { timeout: 5_000 }).toBeGreaterThan(0);
      expect(gw.gateway.recorder.stats().buffered).toBeGreaterThanOrEqual(60);
    } finally {
      await client.command({ query: "RENAME TABLE inferences_away TO inferences" });
    }
    await expect.poll(() => gw.gateway.recorder.stats().buffered, { timeout: 15_000 }).toBe(0);
    expect(await count(env)).toBe(180 + steady);
    expect(gw.gateway.recorder.stats().dropped).toBe(0);
  });

  it("drops the oldest rows beyond its bound, and counts them", async () => {
    const client = env.stores.clickhouse.client;
    await client.command({ query: "RENAME TABLE inferences TO inferences_away" });
    try {
      // 300 inferences make 600 rows (inference + model call); the bound is 400.
      expect(new Set(await send(300))).toEqual(new Set([200]));
      await expect.poll(() => gw.gateway.recorder.stats().dropped, { timeout: 5_000 }).toBeGreaterThan(0);
      expect(gw.gateway.recorder.stats().buffered).toBeLessThanOrEqual(400);
    } finally {
      await client.command({ query: "RENAME TABLE inferences_away TO inferences" });
    }
    await expect.poll(() => gw.gateway.recorder.stats().buffered, { timeout: 15_000 }).toBe(0);
    const { dropped } = gw.gateway.recorder.stats();
    const calls = Number((await rows<{ n: string }>(env.stores, "SELECT count() AS n FROM model_calls"))[0]!.n);
    expect((await count(env)) + calls).toBe(2 * (480 + steady) - dropped);
  });
});
