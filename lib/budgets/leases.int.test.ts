import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client.server";
import { postgresBackends, type TestPostgres } from "@/db/test/postgres";
import { Budgets, BudgetExceeded } from "./budgets.server";
import { budgetsSchema } from "./config";
import type { LedgerOptions } from "./ledger.server";
import { counterOf, windowOf } from "./limits";
import { PostgresCounters } from "./postgres.server";
import { RedisCounters } from "./redis.server";
import type { CounterStore } from "./store";
import { awayFromMinuteEdge } from "./testing";

/** Leases, partial grants, coalesced charges and the view's age bound, on each real counter store. */
interface StoreCase {
  name: string;
  open(): Promise<{ store: () => CounterStore; cleanup(): Promise<void> }>;
}

const cases: StoreCase[] = [
  ...postgresBackends.map((b) => ({
    name: b.name,
    async open() {
      const pg: TestPostgres = await b.open();
      return { store: () => new PostgresCounters(pg.store.db), cleanup: () => pg.cleanup() };
    },
  })),
  {
    name: "redis",
    async open() {
      const opened: RedisCounters[] = [];
      return {
        store: () => {
          const r = new RedisCounters("redis://127.0.0.1:6379");
          opened.push(r);
          return r;
        },
        cleanup: async () => void (await Promise.all(opened.map((r) => r.close()))),
      };
    },
  },
];

// Limit names of this run only: the machine's Redis is shared and keeps windows for a while.
const run = `${process.pid}_${Date.now() % 1_000_000}`;
const hook = "http://127.0.0.1:1/hook";
const budgetsOf = (store: CounterStore, limits: Record<string, unknown>, options: ConstructorParameters<typeof Budgets>[2] = {}) =>
  new Budgets(budgetsSchema.parse({ limits, webhook_url: hook }), store, {
    log: () => undefined,
    fetch: async () => new Response(null),
    ...options,
  });

const subject = { functionName: "f", modelName: "m" };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const admitted = (b: Budgets) =>
  b.admit(subject).then(
    () => true,
    (e: unknown) => {
      if (e instanceof BudgetExceeded) return false;
      throw e;
    },
  );

async function requestsOf(store: CounterStore, limit: string): Promise<number | undefined> {
  const rows = await store.current([{ period: "minute", windowStart: windowOf("minute", Date.now()).start }]);
  return rows.find((r) => r.limit === limit)?.requests;
}

describe.each(cases)("budget leases on $name", (c) => {
  let env: Awaited<ReturnType<StoreCase["open"]>>;
  const opened: Budgets[] = [];
  const make = (limits: Record<string, unknown>, ledger: Partial<LedgerOptions> = {}, options = {}) => {
    const b = budgetsOf(env.store(), limits, { ledger, ...options });
    opened.push(b);
    return b;
  };
  beforeAll(async () => {
    env = await c.open();
  });
  afterAll(async () => {
    await Promise.all(opened.map((b) => b.close().catch(() => undefined)));
    await env?.cleanup();
  });

  it("the store grants a lease only up to a block-mode cap (partial grants), and past it in alert mode", async () => {
    const store = env.store();
    const counter = counterOf(`grants_${run}`, "f", "minute", Date.now());
    const alerting = counterOf(`grants_alert_${run}`, "f", "minute", Date.now());
    const op = (requests: number) => ({ counter, requests, cap: 10, alert: false, tokens: 0, cost: 0 });
    expect(await store.add([op(8)])).toMatchObject([{ granted: 8, requests: 8 }]);
    expect(await store.add([op(8)])).toMatchObject([{ granted: 2, requests: 10 }]);
    expect(await store.add([op(8)])).toMatchObject([{ granted: 0, requests: 10 }]);
    const alert = (requests: number) => ({ counter: alerting, requests, cap: 2, alert: true, tokens: 5, cost: 0.5 });
    expect(await store.add([alert(3)])).toMatchObject([{ granted: 2, requests: 2, tokens: 5, cost: 0.5 }]);
    expect(await store.add([alert(3), op(1)])).toMatchObject([
      { granted: 3, requests: 5, tokens: 10, cost: 1 },
      { granted: 0, requests: 10 },
    ]);
  });

  it("two instances sending in bursts admit exactly the cap in total; the counter holds no unused lease", async () => {
    await awayFromMinuteEdge();
    const limits = { [`cap_${run}`]: { function: "f", requests_per_minute: 120 } };
    const a = make(limits);
    const b = make(limits);
    let ok = 0;
    for (let wave = 0; wave < 30; wave++) {
      const results = await Promise.all(Array.from({ length: 10 }, (_, i) => admitted(i % 2 ? b : a)));
      ok += results.filter(Boolean).length;
      await sleep(2);
    }
    expect(ok).toBe(120);
    expect(await requestsOf(env.store(), `cap_${run}`)).toBe(120);
    // Leases grew past 1 on the way.
    expect(Math.max(...a.ledger.stats.recentLeases, ...b.ledger.stats.recentLeases)).toBeGreaterThan(1);
  });

  it("near the cap a lease falls to 1 (each request a statement), so one instance admits exactly the cap", async () => {
    await awayFromMinuteEdge();
    const b = make({ [`near_${run}`]: { function: "f", requests_per_minute: 200 } });
    let ok = 0;
    for (let wave = 0; wave < 30; wave++) {
      ok += (await Promise.all(Array.from({ length: 10 }, () => admitted(b)))).filter(Boolean).length;
      await sleep(2);
    }
    expect(ok).toBe(200);
    expect(await requestsOf(env.store(), `near_${run}`)).toBe(200);
    const leases = b.ledger.stats.recentLeases;
    expect(Math.max(...leases)).toBeGreaterThan(1);
    expect(leases.slice(-5)).toEqual([1, 1, 1, 1, 1]);
  });

  it("a lease follows the instance's rate: far fewer statements than requests at a steady pace", async () => {
    await awayFromMinuteEdge();
    const b = make({ [`pace_${run}`]: { function: "f", requests_per_minute: 1_000_000 } });
    for (let i = 0; i < 100; i++) {
      await Promise.all(Array.from({ length: 10 }, () => b.admit(subject)));
      await sleep(1);
    }
    const { statements, leased, recentLeases } = b.ledger.stats;
    expect(statements).toBeLessThan(100);
    expect(leased).toBeGreaterThanOrEqual(1_000);
    expect(Math.max(...recentLeases)).toBeGreaterThanOrEqual(40);
    // The counter holds what was admitted plus this instance's unused lease.
    expect(await requestsOf(env.store(), `pace_${run}`)).toBe(leased);
  });

  it("charges are summed and sent in one statement after flushMs; close() sends what is pending", async () => {
    const limit = `charge_${run}`;
    const b = make({ [limit]: { function: "f", tokens_per_minute: 1_000_000, cost_per_day: 1_000 } }, { flushMs: 100 });
    const charge = (await b.admit(subject))!;
    const before = b.ledger.stats.statements;
    for (let i = 0; i < 50; i++) charge({ tokens: 10, cost: 0.001 });
    expect(b.ledger.stats.statements).toBe(before);
    await sleep(400);
    expect(b.ledger.stats.statements).toBe(before + 1);
    // Tokens as the minute counter holds them, cost as the day counter does (each charge goes to both).
    const read = async () => {
      const now = Date.now();
      const rows = await env.store().current([
        { period: "minute", windowStart: windowOf("minute", now).start },
        { period: "day", windowStart: windowOf("day", now).start },
      ]);
      const mine = rows.filter((r) => r.limit === limit);
      return { tokens: mine.find((r) => r.period === "minute")?.tokens, cost: mine.find((r) => r.period === "day")?.cost ?? 0 };
    };
    expect((await read()).tokens).toBe(500);
    expect((await read()).cost).toBeCloseTo(0.05, 9);

    const late = make({ [limit]: { function: "f", tokens_per_minute: 1_000_000, cost_per_day: 1_000 } }, { flushMs: 60_000 });
    const lateCharge = (await late.admit(subject))!;
    for (let i = 0; i < 7; i++) lateCharge({ tokens: 10, cost: 0.001 });
    await late.close();
    expect((await read()).tokens).toBe(570);
  });

  it("tokens spent by another instance count in the pre-check once this one's view is older than maxViewAgeMs", async () => {
    const limit = `stale_${run}`;
    const base = windowOf("minute", Date.now()).start + 10_000;
    let now = base;
    const clock = { now: () => now };
    const limits = { [limit]: { function: "f", tokens_per_minute: 100 } };
    const a = make(limits, { maxViewAgeMs: 1_000 }, clock);
    const b = make(limits, { maxViewAgeMs: 1_000 }, clock);
    expect(await admitted(b)).toBe(true); // b reads the counter: 0 tokens
    (await a.admit(subject))!({ tokens: 150, cost: 0 });
    await a.ledger.flush();
    now = base + 900;
    // Within the bound b still sees its view (0 tokens): the cap can be passed by what is spent meanwhile.
    expect(await admitted(b)).toBe(true);
    expect(await admitted(a)).toBe(false); // a's own charges count at once
    now = base + 1_001;
    expect(await admitted(b)).toBe(false);
  });
});

describe("budgets fail open when the counter store does not answer", () => {
  const stores: [string, () => CounterStore][] = [
    // A real Postgres driver and a real Redis client pointed at closed ports of this test's range.
    [
      "postgres",
      () =>
        new PostgresCounters(drizzle(postgres("postgres://postgres@127.0.0.1:3449/none", { max: 1, connect_timeout: 2 })) as unknown as Db),
    ],
    ["redis", () => new RedisCounters("redis://127.0.0.1:3448")],
  ];
  it.each(stores)("%s down: requests pass, charges are dropped, and both are logged", async (_, open) => {
    const logs: string[] = [];
    const b = budgetsOf(
      open(),
      { down: { function: "f", requests_per_minute: 1, tokens_per_minute: 1 } },
      { log: (m) => logs.push(m), ledger: { flushMs: 10 } },
    );
    const charge = await b.admit(subject);
    expect(await admitted(b)).toBe(true); // over a cap of 1, had the store answered
    expect(logs.filter((l) => /counters are unavailable, request let through/.test(l))).toHaveLength(2);
    charge!({ tokens: 5, cost: 0 });
    await b.close();
    expect(logs.some((l) => /charge\(s\) lost/.test(l))).toBe(true);
  });
});
