import { describe, expect, it } from "vitest";
import { parseConfig } from "@/lib/gateway/config";
import { budgetsSchema } from "./config";
import { chargeAlerts, chargeCounters, checkCounters, LimitIndex, verdict, windowOf } from "./limits";

const budgets = (limits: Record<string, unknown>, extra: Record<string, unknown> = {}) => budgetsSchema.parse({ limits, ...extra });
const at = Date.UTC(2026, 1, 28, 23, 59, 30, 250); // 2026-02-28T23:59:30.250Z

describe("budget windows", () => {
  it("are the UTC minute, calendar day and calendar month", () => {
    expect(windowOf("minute", at)).toEqual({ start: Date.UTC(2026, 1, 28, 23, 59), end: Date.UTC(2026, 2, 1, 0, 0) });
    expect(windowOf("day", at)).toEqual({ start: Date.UTC(2026, 1, 28), end: Date.UTC(2026, 2, 1) });
    expect(windowOf("month", at)).toEqual({ start: Date.UTC(2026, 1, 1), end: Date.UTC(2026, 2, 1) });
    expect(windowOf("month", Date.UTC(2026, 11, 31, 12))).toEqual({ start: Date.UTC(2026, 11, 1), end: Date.UTC(2027, 0, 1) });
  });
});

describe("which limits a request falls under", () => {
  const index = new LimitIndex(
    budgets({
      key: { api_key: "ci", requests_per_minute: 5 },
      perKey: { api_key: "*", requests_per_minute: 100 },
      fn: { function: "summarize", cost_per_day: 1 },
      model: { model: "smart", tokens_per_minute: 1000 },
      team: { tag: "team=search", cost_per_month: 10 },
      teams: { tag: "team=*", cost_per_day: 3 },
    }),
  );

  it("matches by key name, function, model and tag, with * counting each value apart", () => {
    const m = index.match({ apiKey: "ci", functionName: "summarize", modelName: "smart", tags: { team: "search" } });
    expect(m.map((x) => [x.name, x.subject]).sort()).toEqual(
      [
        ["fn", "summarize"],
        ["key", "ci"],
        ["model", "smart"],
        ["perKey", "ci"],
        ["team", "search"],
        ["teams", "search"],
      ].sort(),
    );
    const other = index.match({ apiKey: "bot", functionName: "reply", modelName: "fast", tags: { team: "ads" } });
    expect(other.map((x) => [x.name, x.subject]).sort()).toEqual([
      ["perKey", "bot"],
      ["teams", "ads"],
    ]);
    expect(index.match({ functionName: "reply", modelName: "fast" })).toEqual([]);
  });

  it("counts a request on the windows its caps need, and charges only token and cost windows", () => {
    const m = index.match({ apiKey: "ci", functionName: "summarize", modelName: "smart" });
    expect(
      checkCounters(m, at)
        .map((c) => `${c.limit}/${c.period}`)
        .sort(),
    ).toEqual(["fn/day", "key/minute", "model/minute", "perKey/minute"]);
    expect(
      chargeCounters(m, at)
        .map((c) => `${c.limit}/${c.period}`)
        .sort(),
    ).toEqual(["fn/day", "model/minute"]);
  });
});

describe("the verdict", () => {
  const index = new LimitIndex(
    budgets(
      {
        rpm: { function: "f", requests_per_minute: 2, tokens_per_minute: 100 },
        daily: { function: "f", cost_per_day: 1 },
        watch: { model: "m", requests_per_minute: 2, cost_per_month: 5, mode: "alert" },
      },
      { webhook_url: "http://127.0.0.1:1/hook" },
    ),
  );
  const m = index.match({ functionName: "f", modelName: "m" });
  const counters = checkCounters(m, at);
  const values = (v: Record<string, { requests?: number; tokens?: number; cost?: number }>) =>
    counters.map((c) => ({ requests: 0, tokens: 0, cost: 0, ...v[`${c.limit}/${c.period}`] }));

  it("lets a request through up to the cap and refuses past it, with Retry-After to the window's end", () => {
    expect(verdict(m, counters, values({ "rpm/minute": { requests: 2 } }), at).refusals).toEqual([]);
    const { refusals } = verdict(m, counters, values({ "rpm/minute": { requests: 3 } }), at);
    expect(refusals).toHaveLength(1);
    expect(refusals[0]).toMatchObject({ limit: "rpm", metric: "requests_per_minute", max: 2, used: 3, retryAfterS: 30 });
  });

  it("refuses once tokens or cost already spent reached the cap (a pre-check), Retry-After the longest window", () => {
    const { refusals } = verdict(m, counters, values({ "rpm/minute": { requests: 1, tokens: 100 }, "daily/day": { cost: 1 } }), at);
    expect(refusals.map((r) => r.metric).sort()).toEqual(["cost_per_day", "tokens_per_minute"]);
    expect(refusals.find((r) => r.metric === "cost_per_day")!.retryAfterS).toBe(30);
    expect(verdict(m, counters, values({ "daily/day": { cost: 0.999 } }), at).refusals).toEqual([]);
  });

  it("alert mode never refuses and alerts only on the request that crosses", () => {
    expect(verdict(m, counters, values({ "watch/minute": { requests: 3 } }), at)).toMatchObject({
      refusals: [],
      alerts: [{ limit: "watch", metric: "requests_per_minute", used: 3, max: 2 }],
    });
    expect(verdict(m, counters, values({ "watch/minute": { requests: 4 } }), at).alerts).toEqual([]);
  });

  it("a charge alerts when it takes an alert-mode cap from under to at or over, once", () => {
    const charged = chargeCounters(m, at);
    const after = (cost: number) => charged.map((c) => ({ requests: 0, tokens: 0, cost: c.limit === "watch" ? cost : 0 }));
    const delta = { requests: 0, tokens: 10, cost: 1 };
    expect(chargeAlerts(m, charged, after(5.5), delta)).toMatchObject([{ limit: "watch", metric: "cost_per_month", used: 5.5 }]);
    expect(chargeAlerts(m, charged, after(6.5), delta)).toEqual([]);
    expect(chargeAlerts(m, charged, after(4.5), delta)).toEqual([]);
  });
});

describe("[budgets] in llmops.toml", () => {
  const base = `[providers.p]\ntype = "dummy"\n[models.m]\nrouting = [{ provider = "p" }]\n[functions.f.variants.a]\nmodel = "m"\n`;
  it("parses limits and names what is wrong", () => {
    const ok = parseConfig(`${base}[budgets.limits.x]\nfunction = "f"\nrequests_per_minute = 10\n`);
    expect(ok.budgets).toMatchObject({ store: "auto", limits: { x: { function: "f", requests_per_minute: 10, mode: "block" } } });
    expect(parseConfig(base).budgets.limits).toEqual({});
    expect(() => parseConfig(`${base}[budgets.limits.x]\nfunction = "f"\nmodel = "m"\nrequests_per_minute = 1\n`)).toThrow(
      /exactly one of api_key, function, model or tag/,
    );
    expect(() => parseConfig(`${base}[budgets.limits.x]\nfunction = "f"\n`)).toThrow(/at least one of requests_per_minute/);
    expect(() => parseConfig(`${base}[budgets.limits.x]\nfunction = "nope"\ncost_per_day = 1\n`)).toThrow(
      /budgets.limits.x.function: unknown function "nope"/,
    );
    expect(() => parseConfig(`${base}[budgets.limits.x]\nmodel = "m"\ncost_per_day = 1\nmode = "alert"\n`)).toThrow(
      /needs \[budgets\] webhook_url/,
    );
    expect(() => parseConfig(`${base}[budgets.limits.x]\ntag = "team"\ncost_per_day = 1\n`)).toThrow(/key=value/);
  });
});
