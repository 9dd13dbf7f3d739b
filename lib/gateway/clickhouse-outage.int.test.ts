import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startClickHouseHttp, type ClickHouseHttpFixture } from "@/db/test/clickhouse-http/server";
import { openTestStores, rows, startTestGateway, type TestGateway, type TestStores } from "./testing/harness";

/**
 * Fault tests of the server path: the gateway against a ClickHouse (the HTTP fixture over chDB)
 * that goes down for a minute under load, or that takes ages per insert. Only public behaviour is
 * checked (HTTP answers, the status endpoint, rows in ClickHouse), not how the recorder keeps its
 * backlog. No assertion on time: ordering and counts only.
 */
const CONFIG = `
[recorder]
flush_ms = 200

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

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("the gateway while its ClickHouse server is down or slow", () => {
  let fixture: ClickHouseHttpFixture;
  let env: TestStores;
  let gw: TestGateway;
  /** Inference ids the gateway answered 200 for. */
  const acknowledged: string[] = [];
  const failures: string[] = [];

  beforeAll(async () => {
    fixture = await startClickHouseHttp();
    env = await openTestStores(undefined, { clickhouseUrl: fixture.url });
    gw = await startTestGateway(env.stores, CONFIG);
  });
  afterAll(async () => {
    await fixture?.start();
    await gw?.close();
    await env?.cleanup();
    await fixture?.close();
  });

  const infer = async (i: number) => {
    const res = await fetch(`${gw.url}/api/inference`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ function_name: "f", input: { variables: { i } } }),
    });
    const body = (await res.json()) as { inference_id?: string };
    if (res.status === 200 && body.inference_id) acknowledged.push(body.inference_id);
    else failures.push(`${res.status} ${JSON.stringify(body)}`);
  };

  /** Inferences in ClickHouse: rows, distinct ids, and whether every acknowledged one is there. */
  const stored = async () => {
    const ids = new Set((await rows<{ id: string }>(env.stores, "SELECT id FROM inferences")).map((r) => r.id));
    return { distinct: ids.size, missing: acknowledged.filter((id) => !ids.has(id)).length };
  };

  it("keeps answering through a 60 s outage under steady load, then writes every acknowledged inference", async () => {
    let running = true;
    let n = 0;
    const load = Promise.all(
      Array.from({ length: 3 }, async () => {
        while (running) {
          await infer(n++);
          await sleep(20);
        }
      }),
    );
    await expect.poll(() => acknowledged.length, { timeout: 30_000 }).toBeGreaterThan(20);
    await fixture.stop();
    const atStop = acknowledged.length;
    await sleep(60_000);
    const status = await fetch(`${gw.url}/api/gateway/status`);
    expect(status.status).toBe(200);
    const duringOutage = acknowledged.length - atStop;
    await fixture.start();
    await sleep(2_000);
    running = false;
    await load;

    expect(failures).toEqual([]);
    expect(duringOutage).toBeGreaterThan(100);
    await expect.poll(async () => (await stored()).missing, { timeout: 120_000, interval: 1_000 }).toBe(0);
    // The outage cut no insert in half (the fixture stops gracefully), so nothing was written twice.
    const [{ n: total }] = (await rows<{ n: string }>(env.stores, "SELECT count() AS n FROM inferences")) as [{ n: string }];
    expect(Number(total)).toBe(acknowledged.length);
    expect((await stored()).distinct).toBe(acknowledged.length);
  }, 240_000);

  it("answers requests while an insert hangs on a slow server, and writes them once it returns", async () => {
    await expect.poll(async () => (await stored()).missing, { timeout: 30_000 }).toBe(0);
    fixture.slowInserts(600);
    try {
      await Promise.all(Array.from({ length: 5 }, (_, i) => infer(i)));
      // The recorder's next insert is now stuck in the server, and no insert that came before slow
      // mode is still running (it would be answered during the loop below).
      await expect
        .poll(
          () => {
            const { insertsInFlight, insertsWaiting } = fixture.stats();
            return insertsWaiting > 0 && insertsInFlight === insertsWaiting;
          },
          { timeout: 30_000 },
        )
        .toBe(true);
      const insertsDone = fixture.stats().insertsDone;
      const before = acknowledged.length;
      for (let batch = 0; batch < 10; batch++) await Promise.all(Array.from({ length: 10 }, (_, i) => infer(batch * 10 + i)));
      expect(failures).toEqual([]);
      expect(acknowledged.length - before).toBe(100);
      // Every one of those 100 answers came back while the same insert was still hanging.
      expect(fixture.stats().insertsDone).toBe(insertsDone);
      expect(fixture.stats().insertsInFlight).toBeGreaterThan(0);
    } finally {
      fixture.slowInserts(0);
    }
    await expect.poll(async () => (await stored()).missing, { timeout: 60_000, interval: 500 }).toBe(0);
    expect((await stored()).distinct).toBe(acknowledged.length);
  }, 120_000);
});
