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
  beforeAll(async () => {
    env = await openTestStores();
    gw = await startTestGateway(env.stores, CONFIG);
  });
  afterAll(async () => {
    await gw?.close();
    await env?.cleanup();
  });

  // Rows buffered or in an insert under way.
  const unwritten = () => {
    const { buffered, sending } = gw.gateway.recorder.stats();
    return buffered + sending;
  };
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
    await expect.poll(unwritten, { timeout: 5_000 }).toBe(0);
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
    await expect.poll(unwritten, { timeout: 5_000 }).toBe(0);
    const before = await inserts();
    const droppedBefore = gw.gateway.recorder.stats().dropped;
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
    await expect.poll(unwritten, { timeout: 5_000 }).toBe(0);
    const after = await inserts();
    const inferenceInserts = after.inferences! - (before.inferences ?? 0);
    const callInserts = after.model_calls! - (before.model_calls ?? 0);
    // Both tables are written by the same flushes: an inference and its model call are buffered together.
    expect(sent).toBeGreaterThan(100);
    expect(inferenceInserts).toBeGreaterThan(0);
    expect(inferenceInserts).toBeLessThanOrEqual(callInserts + 1);
    // Every inference is written, unless a slow machine let the buffer reach its bound (400 rows,
    // set low for the last test), when the oldest rows are dropped and counted.
    const lost = gw.gateway.recorder.stats().dropped - droppedBefore;
    expect(await count(env)).toBeLessThanOrEqual(120 + sent);
    expect(await count(env)).toBeGreaterThanOrEqual(120 + sent - lost);
  });

  it("keeps answering while the table is unavailable, then writes the backlog when it returns", async () => {
    const client = env.stores.clickhouse.client;
    // Counted from here: the steady-traffic test may have hit the buffer's bound (400 rows) on a
    // slow machine, which is the next test's subject, not this one's.
    const before = await count(env);
    const droppedBefore = gw.gateway.recorder.stats().dropped;
    await client.command({ query: "RENAME TABLE inferences TO inferences_away" });
    try {
      expect(new Set(await send(60))).toEqual(new Set([200]));
      await expect.poll(() => gw.gateway.recorder.stats().failedFlushes, { timeout: 5_000 }).toBeGreaterThan(0);
      expect(gw.gateway.recorder.stats().buffered).toBeGreaterThanOrEqual(60);
    } finally {
      await client.command({ query: "RENAME TABLE inferences_away TO inferences" });
    }
    await expect.poll(unwritten, { timeout: 15_000 }).toBe(0);
    expect(await count(env)).toBe(before + 60);
    expect(gw.gateway.recorder.stats().dropped).toBe(droppedBefore);
  });

  it("drops the oldest rows beyond its bound, and counts them", async () => {
    const client = env.stores.clickhouse.client;
    const countCalls = async () => Number((await rows<{ n: string }>(env.stores, "SELECT count() AS n FROM model_calls"))[0]!.n);
    const rowsBefore = (await count(env)) + (await countCalls());
    const droppedBefore = gw.gateway.recorder.stats().dropped;
    await client.command({ query: "RENAME TABLE inferences TO inferences_away" });
    try {
      // 300 inferences make 600 rows (inference + model call); the bound is 400.
      expect(new Set(await send(300))).toEqual(new Set([200]));
      await expect.poll(() => gw.gateway.recorder.stats().dropped, { timeout: 5_000 }).toBeGreaterThan(0);
      expect(gw.gateway.recorder.stats().buffered).toBeLessThanOrEqual(400);
    } finally {
      await client.command({ query: "RENAME TABLE inferences_away TO inferences" });
    }
    await expect.poll(unwritten, { timeout: 15_000 }).toBe(0);
    const dropped = gw.gateway.recorder.stats().dropped - droppedBefore;
    expect((await count(env)) + (await countCalls())).toBe(rowsBefore + 2 * 300 - dropped);
  });
});
