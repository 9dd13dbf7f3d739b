import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postgresBackends, type PostgresBackend } from "@/db/test/postgres";
import { createKey } from "@/lib/auth/keys.server";
import { openTestStores, startTestGateway, type TestGateway, type TestStores } from "@/lib/gateway/testing/harness";
import { windowOf } from "./limits";
import { budgetStatus } from "./status.server";
import { awayFromMinuteEdge } from "./testing";

/** Echo provider priced at $1,000 per million tokens: a ~10-token answer costs about a cent. */
const config = (webhook: string, suffix = "") => `
[recorder]
enabled = false

[providers.echo]
type = "dummy"
latency_ms = 0
ttft_ms = 0

[models.m]
routing = [{ provider = "echo", model = "echo-1" }]
price = { input = 1000.0, output = 1000.0 }

[functions.rpm.variants.a]
model = "m"
[functions.tpm.variants.a]
model = "m"
[functions.daily.variants.a]
model = "m"
[functions.watched.variants.a]
model = "m"
[functions.keyed.variants.a]
model = "m"
[functions.burst.variants.a]
model = "m"

[models.embed]
kind = "embedding"
routing = [{ provider = "echo", model = "embed-1" }]
price = { input = 1000.0, output = 0.0 }

[budgets]
webhook_url = "${webhook}"
webhook_timeout_ms = 1000

[budgets.limits.rpm${suffix}]
function = "rpm"
requests_per_minute = 3

[budgets.limits.tpm${suffix}]
function = "tpm"
tokens_per_minute = 40

[budgets.limits.daily${suffix}]
function = "daily"
cost_per_day = 0.02

[budgets.limits.watch${suffix}]
function = "watched"
requests_per_minute = 2
mode = "alert"

[budgets.limits.embed${suffix}]
model = "embed"
requests_per_minute = 2

[budgets.limits.burst${suffix}]
function = "burst"
requests_per_minute = 25

[budgets.limits.ci${suffix}]
api_key = "ci-bot"
requests_per_minute = 2
`;

const openai = (gw: TestGateway, apiKey = "unused") => new OpenAI({ baseURL: `${gw.url}/openai/v1`, apiKey, maxRetries: 0 });

async function native(gw: TestGateway, functionName: string) {
  const res = await fetch(`${gw.url}/api/inference`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ function_name: functionName, input: { messages: [{ role: "user", content: "hello there" }] } }),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
}

async function chat(gw: TestGateway, fn: string, apiKey?: string) {
  return openai(gw, apiKey).chat.completions.create({ model: `function::${fn}`, messages: [{ role: "user", content: "hello there" }] });
}

/**
 * A handler checks tokens and cost against its view of the counters, read again once older than
 * maxViewAgeMs (1 s): the other handler's charges count there within that bound (README).
 */
const viewsExpire = () => new Promise((r) => setTimeout(r, 1_100));

/** Waits until the charges made after the answers have landed (they are not awaited by the request). */
async function charged(gw: TestGateway, limit: string, field: "tokens" | "cost", atLeast: number): Promise<void> {
  const store = gw.gateway.budgets!.store;
  const now = Date.now();
  for (let i = 0; i < 200; i++) {
    const rows = await store.current([
      { period: "minute", windowStart: windowOf("minute", now).start },
      { period: "day", windowStart: windowOf("day", now).start },
    ]);
    const sum = rows.filter((r) => r.limit === limit).reduce((s, r) => s + r[field], 0);
    if (sum >= atLeast - 1e-9) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`the ${field} of ${limit} never reached ${atLeast}`);
}

function webhookServer() {
  const received: Record<string, unknown>[] = [];
  const server: Server = createServer((req, res) => {
    let text = "";
    req.on("data", (c: Buffer) => (text += c.toString()));
    req.on("end", () => {
      received.push(JSON.parse(text) as Record<string, unknown>);
      res.writeHead(204).end();
    });
  });
  return { server, received, listen: () => new Promise<void>((r) => server.listen(0, "127.0.0.1", r)) };
}

function sharedLimits(label: string, backend: PostgresBackend, options: { redisUrl?: string; suffix?: string }) {
  let env: TestStores;
  let a: TestGateway;
  let b: TestGateway;
  const hook = webhookServer();
  const s = options.suffix ?? "";
  beforeAll(async () => {
    await hook.listen();
    env = await openTestStores(backend);
    const text = config(`http://127.0.0.1:${(hook.server.address() as AddressInfo).port}/hook`, s);
    // Two gateway handlers (two app instances) on one Postgres (and one Redis when given).
    a = await startTestGateway(env.stores, text, { spoolDir: null, redisUrl: options.redisUrl });
    b = await startTestGateway(env.stores, text, { spoolDir: null, redisUrl: options.redisUrl });
  });
  afterAll(async () => {
    await a?.gateway.budgets?.close();
    await b?.gateway.budgets?.close();
    await a?.close();
    await b?.close();
    hook.server.close();
    await env?.cleanup();
  });

  it(`${label}: requests per minute are shared by two handlers; the 4th gets 429 + Retry-After (openai SDK, native, TensorZero)`, async () => {
    expect(a.gateway.budgets!.store.kind).toBe(options.redisUrl ? "redis" : "postgres");
    await awayFromMinuteEdge();
    expect((await chat(a, "rpm")).choices[0]!.message.content).toContain("hello there");
    expect((await native(b, "rpm")).status).toBe(200);
    expect((await chat(a, "rpm")).choices).toHaveLength(1);
    // The 4th, on the other handler: over the one shared limit.
    const refused = await chat(b, "rpm").then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(OpenAI.RateLimitError);
    const error = refused as InstanceType<typeof OpenAI.RateLimitError>;
    expect(error.status).toBe(429);
    const retryAfter = Number(error.headers?.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(error.message).toContain(`budget "rpm${s}"`);
    expect((error.error as { type?: string }).type).toBe("rate_limit_error");

    const nativeRefused = await native(a, "rpm");
    expect(nativeRefused.status).toBe(429);
    expect(Number(nativeRefused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(nativeRefused.body).toMatchObject({ error: { type: "rate_limit_error", code: "rate_limited" } });

    const tz = await fetch(`${b.url}/inference`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ function_name: "rpm", input: { messages: [{ role: "user", content: "hi" }] } }),
    });
    expect(tz.status).toBe(429);
    expect(Number(tz.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(typeof ((await tz.json()) as { error: unknown }).error).toBe("string");
  });

  it(`${label}: 60 concurrent requests on two handlers against requests_per_minute = 25: exactly 25 admitted, with leases`, async () => {
    await awayFromMinuteEdge();
    const statuses = await Promise.all(Array.from({ length: 60 }, (_, i) => native(i % 2 ? b : a, "burst").then((r) => r.status)));
    expect(statuses.filter((x) => x === 200)).toHaveLength(25);
    expect(statuses.filter((x) => x === 429)).toHaveLength(35);
    // The counter holds admitted + reserved: every lease was used, none passed the cap.
    const rows = await a.gateway.budgets!.store.current([{ period: "minute", windowStart: windowOf("minute", Date.now()).start }]);
    expect(rows.find((r) => r.limit === `burst${s}`)?.requests).toBe(25);
  });

  it(`${label}: tokens per minute are charged after each call (streamed or not) with its usage; the next request after the cap is refused`, async () => {
    await awayFromMinuteEdge();
    let spent = 0;
    let n = 0;
    while (spent < 40) {
      const gw = n++ % 2 ? b : a;
      if (n % 2) {
        const answer = await chat(gw, "tpm");
        spent += answer.usage!.total_tokens;
      } else {
        // A stream is charged when it ends, with the usage of its last chunk.
        const stream = await openai(gw).chat.completions.create({
          model: "function::tpm",
          messages: [{ role: "user", content: "hello there" }],
          stream: true,
          stream_options: { include_usage: true },
        });
        for await (const chunk of stream) if (chunk.usage) spent += chunk.usage.total_tokens;
      }
      await charged(gw, `tpm${s}`, "tokens", spent);
    }
    expect(n).toBeGreaterThan(2);
    await viewsExpire();
    const refused = await chat(n % 2 ? b : a, "tpm").catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(OpenAI.RateLimitError);
    expect((refused as Error).message).toContain("tokens_per_minute");
  });

  it(`${label}: cost per day is charged with each answer's cost; over it, 429 until the day ends`, async () => {
    let spent = 0;
    let n = 0;
    while (spent < 0.02) {
      const gw = n++ % 2 ? b : a;
      const res = await native(gw, "daily");
      expect(res.status).toBe(200);
      spent += Number(res.headers.get("x-llmops-cost-usd"));
      await charged(gw, `daily${s}`, "cost", spent);
    }
    await viewsExpire();
    const refused = await native(n % 2 ? b : a, "daily");
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get("retry-after"));
    const dayLeft = Math.ceil((windowOf("day", Date.now()).end - Date.now()) / 1000);
    expect(Math.abs(retryAfter - dayLeft)).toBeLessThanOrEqual(5);
  });

  it(`${label}: alert mode lets requests through and POSTs one webhook when the limit is crossed`, async () => {
    await awayFromMinuteEdge();
    for (let i = 0; i < 4; i++) expect((await native(i % 2 ? b : a, "watched")).status).toBe(200);
    for (let i = 0; i < 100 && hook.received.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 200));
    expect(hook.received).toHaveLength(1);
    expect(hook.received[0]).toMatchObject({
      event: "budget.exceeded",
      limit: `watch${s}`,
      scope: "function",
      subject: "watched",
      metric: "requests_per_minute",
      max: 2,
      used: 3,
    });
  });

  it(`${label}: a limit per API key counts that key's requests on every handler`, async () => {
    const before = process.env.LLMOPS_AUTH;
    process.env.LLMOPS_AUTH = "on";
    try {
      const { secret } = await createKey(env.stores.postgres.db, {
        name: "ci-bot",
        userId: null,
        role: null,
        scope: "inference",
        createdBy: "test",
      });
      const other = await createKey(env.stores.postgres.db, {
        name: "other",
        userId: null,
        role: null,
        scope: "inference",
        createdBy: "test",
      });
      await awayFromMinuteEdge();
      await chat(a, "keyed", secret);
      await chat(b, "keyed", secret);
      await expect(chat(a, "keyed", secret)).rejects.toBeInstanceOf(OpenAI.RateLimitError);
      // Another key is not counted on ci-bot's limit.
      expect((await chat(b, "keyed", other.secret)).choices).toHaveLength(1);
    } finally {
      if (before === undefined) delete process.env.LLMOPS_AUTH;
      else process.env.LLMOPS_AUTH = before;
    }
  });

  it(`${label}: embeddings count against a limit on their model, on both handlers`, async () => {
    await awayFromMinuteEdge();
    const embed = (gw: TestGateway) => openai(gw).embeddings.create({ model: "embed", input: ["one", "two"] });
    expect((await embed(a)).data).toHaveLength(2);
    expect((await embed(b)).data).toHaveLength(2);
    const refused = await embed(a).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(OpenAI.RateLimitError);
    expect((refused as Error).message).toContain(`budget "embed${s}"`);
  });

  it(`${label}: the Cost page's status reads spend vs budget from the shared counters, the same on both handlers`, async () => {
    const [fromA, fromB] = await Promise.all([
      budgetStatus(a.gateway.config.budgets, a.gateway.budgets),
      budgetStatus(b.gateway.config.budgets, b.gateway.budgets),
    ]);
    expect(fromA).toEqual(fromB);
    expect(fromA.store).toBe(options.redisUrl ? "redis" : "postgres");
    const daily = fromA.limits.find((l) => l.name === `daily${s}`)!;
    expect(daily).toMatchObject({ scope: "function", match: "daily", mode: "block" });
    expect(daily.rows).toHaveLength(1);
    expect(daily.rows[0]).toMatchObject({ subject: "daily", metric: "cost_per_day", max: 0.02 });
    expect(daily.rows[0]!.used).toBeGreaterThanOrEqual(0.02);
    expect(daily.rows[0]!.share).toBeCloseTo(daily.rows[0]!.used / 0.02, 9);
    // A limit with no traffic yet shows zero used, not nothing.
    const tpm = fromA.limits.find((l) => l.name === `tpm${s}`)!;
    expect(tpm.rows.map((r) => r.metric)).toEqual(["tokens_per_minute"]);
  });
}

describe.each(postgresBackends)("budgets with Postgres counters (two gateway handlers on one $name)", (backend) => {
  sharedLimits(`postgres (${backend.name})`, backend, {});
});

describe("budgets with Redis counters (LLMOPS_REDIS_URL)", () => {
  // Limit names of this run only: the machine's Redis is shared and keeps windows for a while.
  sharedLimits("redis", postgresBackends[0]!, { redisUrl: "redis://127.0.0.1:6379", suffix: `_${process.pid}_${Date.now() % 1_000_000}` });
});
