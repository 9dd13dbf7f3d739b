import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toClickHouseTime, type CacheRow, type InferenceRow } from "@/lib/inference/tables";
import { uuidAt } from "./ids";
import { openTestStores, rows, startTestGateway, type TestGateway, type TestStores } from "./testing/harness";
import { json, openaiAnswer, startUpstream, type Upstream } from "./testing/upstream";

/**
 * A row ClickHouse refuses never stops the log: the recorder bisects the batch, writes every other
 * row at once and keeps the refused ones as dead letters (Postgres), shown by the status endpoint
 * and retryable. The poisoned rows are handed to the recorder directly: the gateway's boundary
 * refuses or repairs everything a client or provider could send that ClickHouse would refuse.
 */
const CONFIG = (upstream: string) => `
[recorder]
batch_size = 50
flush_ms = 50

[providers.echo]
type = "dummy"
latency_ms = 0
ttft_ms = 0

[providers.odd]
type = "openai"
base_url = "${upstream}"

[models.m]
routing = [{ provider = "echo" }]

[models.odd]
routing = [{ provider = "odd", model = "x" }]

[functions.f.variants.v]
model = "m"
user = "{{i}}"
`;

const now = () => toClickHouseTime(new Date());

/** An inference row whose tag holds a lone surrogate: ClickHouse refuses it (CANNOT_PARSE_ESCAPE_SEQUENCE). */
const poisonedInference = (): InferenceRow => {
  const id = uuidAt(Date.now());
  return {
    id,
    episode_id: id,
    function_name: "f",
    variant_name: "v",
    model_name: "m",
    provider_name: "echo",
    prompt_version: "",
    input: "{}",
    output: "{}",
    input_tokens: 1,
    output_tokens: 1,
    cost: 0,
    latency_ms: 1,
    ttft_ms: null,
    status: "ok",
    error: "",
    cached: false,
    streamed: false,
    tags: { bad: "\ud800" },
    timestamp: now(),
  };
};

/** A cache row with a negative token count: refused by UInt32 (CANNOT_PARSE_NUMBER) until the column is widened. */
const poisonedCache = (): CacheRow => ({
  cache_key: "f".repeat(64),
  function_name: "f",
  variant_name: "v",
  model_name: "m",
  output: "{}",
  input_tokens: -1,
  output_tokens: 1,
  inference_id: uuidAt(Date.now()),
  timestamp: now(),
});

describe("a poisoned row in the inference log", () => {
  let env: TestStores;
  let gw: TestGateway;
  let upstream: Upstream;
  beforeAll(async () => {
    env = await openTestStores();
    // A provider reporting token counts the log's UInt32 columns cannot hold.
    upstream = await startUpstream((req, res) =>
      json(res, 200, { ...openaiAnswer(req.body), usage: { prompt_tokens: -3, completion_tokens: 2.6, total_tokens: 0 } }),
    );
    gw = await startTestGateway(env.stores, CONFIG(upstream.url));
  });
  afterAll(async () => {
    await gw?.close();
    await upstream?.close();
    await env?.cleanup();
  });

  const infer = async (body: Record<string, unknown>) => {
    const res = await fetch(`${gw.url}/api/inference`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(200);
    return ((await res.json()) as { inference_id: string }).inference_id;
  };
  const storedIds = async () =>
    new Set((await rows<{ id: string }>(env.stores, "SELECT toString(id) AS id FROM inferences")).map((r) => r.id));
  const status = async () =>
    (await (await fetch(`${gw.url}/api/gateway/status`)).json()) as {
      recorder: { rejected: number; failedFlushes: number; written: number };
      dead_letters: { count: number; by_table: Record<string, number>; latest: { error_code: string; attempts: number }[] };
    };
  const retry = async (body: unknown = {}) => {
    const res = await fetch(`${gw.url}/api/gateway/dead-letters/retry`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(200);
    return (await res.json()) as { retried: number; written: number; still_refused: number };
  };

  it("writes every other inference at once and keeps the refused rows as dead letters", async () => {
    const acknowledged: string[] = [];
    for (let wave = 0; wave < 4; wave++) {
      const sent = Array.from({ length: 40 }, (_, i) => infer({ function_name: "f", input: { variables: { i } } }));
      // Poisoned rows land in the middle of each wave's batches.
      gw.gateway.recorder.recordAll({ inferences: [poisonedInference()] });
      if (wave === 0) gw.gateway.recorder.recordAll({ inference_cache: [poisonedCache()] });
      acknowledged.push(...(await Promise.all(sent)));
    }
    await expect
      .poll(
        async () => {
          const ids = await storedIds();
          return acknowledged.filter((id) => !ids.has(id)).length;
        },
        { timeout: 30_000, interval: 200 },
      )
      .toBe(0);
    await expect.poll(async () => (await status()).dead_letters.count, { timeout: 10_000 }).toBe(5);
    const s = await status();
    // Refused rows never looked like an outage: no backoff, nothing delayed.
    expect(s.recorder.failedFlushes).toBe(0);
    expect(s.recorder.rejected).toBe(5);
    expect(s.dead_letters.by_table).toEqual({ inferences: 4, inference_cache: 1 });
    expect(new Set(s.dead_letters.latest.map((l) => l.error_code))).toEqual(
      new Set(["CANNOT_PARSE_ESCAPE_SEQUENCE", "CANNOT_PARSE_NUMBER"]),
    );
    expect((await storedIds()).size).toBe(acknowledged.length);
    // The spool holds nothing once every row is settled (written or dead-lettered).
    await expect.poll(() => gw.gateway.recorder.stats().spool?.files, { timeout: 5_000 }).toBeLessThanOrEqual(1);
  }, 120_000);

  it("retries dead letters: those still refused stay with one more attempt, those fixed are written", async () => {
    expect(await retry()).toEqual({ retried: 5, written: 0, still_refused: 5 });
    expect((await status()).dead_letters.latest.every((l) => l.attempts === 2)).toBe(true);
    // The operator's fix: a column wide enough for the refused value.
    await env.stores.clickhouse.client.command({ query: "ALTER TABLE inference_cache MODIFY COLUMN input_tokens Int64" });
    expect(await retry({ limit: 100 })).toEqual({ retried: 5, written: 1, still_refused: 4 });
    const cached = await rows<{ n: string }>(env.stores, "SELECT count() AS n FROM inference_cache WHERE input_tokens = -1");
    expect(Number(cached[0]!.n)).toBe(1);
    expect((await status()).dead_letters.by_table).toEqual({ inferences: 4 });
    const bad = await fetch(`${gw.url}/api/gateway/dead-letters/retry`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ids: ["x"] }),
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { param: string } }).error.param).toBe("ids[0]");
  }, 60_000);

  it("stores the token counts a provider reports as the log can hold them", async () => {
    const id = await infer({ model_name: "odd", input: { messages: [{ role: "user", content: "hi" }] } });
    await expect.poll(async () => (await storedIds()).has(id), { timeout: 10_000 }).toBe(true);
    const [row] = await rows<{ input_tokens: number; output_tokens: number }>(
      env.stores,
      "SELECT input_tokens, output_tokens FROM inferences WHERE id = {id:UUID}",
      { id },
    );
    expect(row).toEqual({ input_tokens: 0, output_tokens: 3 });
  });
});
