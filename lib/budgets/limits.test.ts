import { describe, expect, it } from "vitest";
import { parseConfig } from "@/lib/gateway/config";
import { budgetsSchema } from "./config";
import { leaseSize, LimitIndex, plansOf, refusalOf, spentRefusals, statementAlerts, windowOf, type LeaseInput } from "./limits";

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
    const plans = plansOf(index.match({ apiKey: "ci", functionName: "summarize", modelName: "smart" }), at);
    expect(plans.map((p) => `${p.counter.limit}/${p.counter.period}`).sort()).toEqual([
      "fn/day",
      "key/minute",
      "model/minute",
      "perKey/minute",
    ]);
    expect(
      plans
        .filter((p) => p.charged)
        .map((p) => `${p.counter.limit}/${p.counter.period}`)
        .sort(),
    ).toEqual(["fn/day", "model/minute"]);
    expect(plans.filter((p) => p.rpm !== undefined).map((p) => [p.counter.limit, p.rpm])).toEqual([
      ["key", 5],
      ["perKey", 100],
    ]);
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
  const plans = plansOf(index.match({ functionName: "f", modelName: "m" }), at);
  const plan = (name: string) => plans.find((p) => `${p.counter.limit}/${p.counter.period}` === name)!;
  const value = (v: { requests?: number; tokens?: number; cost?: number }) => ({ requests: 0, tokens: 0, cost: 0, ...v });

  it("a refusal names the limit and its Retry-After is the window's end", () => {
    expect(refusalOf(plan("rpm/minute"), "requests_per_minute", 2, 2, at)).toMatchObject({
      limit: "rpm",
      metric: "requests_per_minute",
      max: 2,
      used: 2,
      retryAfterS: 30,
    });
  });

  it("refuses once tokens or cost already spent reached the cap (a pre-check), Retry-After its window", () => {
    expect(spentRefusals(plan("rpm/minute"), value({ tokens: 100 }), at)).toMatchObject([{ metric: "tokens_per_minute", retryAfterS: 30 }]);
    expect(spentRefusals(plan("rpm/minute"), value({ tokens: 99 }), at)).toEqual([]);
    expect(spentRefusals(plan("daily/day"), value({ cost: 1 }), at)).toMatchObject([{ metric: "cost_per_day", retryAfterS: 30 }]);
    expect(spentRefusals(plan("daily/day"), value({ cost: 0.999 }), at)).toEqual([]);
    // Alert mode never refuses.
    expect(spentRefusals(plan("watch/month"), value({ cost: 50 }), at)).toEqual([]);
  });

  it("alert mode alerts on the statement whose grant takes requests past the cap, once", () => {
    const watch = plan("watch/minute");
    expect(statementAlerts(watch, { ...value({ requests: 3 }), granted: 1 }, { tokens: 0, cost: 0 })).toMatchObject([
      { limit: "watch", metric: "requests_per_minute", used: 3, max: 2 },
    ]);
    // A lease of 3 from 1 crosses too; the request numbered 3 is in it.
    expect(statementAlerts(watch, { ...value({ requests: 4 }), granted: 3 }, { tokens: 0, cost: 0 })).toHaveLength(1);
    expect(statementAlerts(watch, { ...value({ requests: 4 }), granted: 1 }, { tokens: 0, cost: 0 })).toEqual([]);
    expect(statementAlerts(watch, { ...value({ requests: 2 }), granted: 2 }, { tokens: 0, cost: 0 })).toEqual([]);
    // Block mode never alerts.
    expect(statementAlerts(plan("rpm/minute"), { ...value({ requests: 3 }), granted: 1 }, { tokens: 0, cost: 0 })).toEqual([]);
  });

  it("a charge alerts when it takes an alert-mode cap from under to at or over, once", () => {
    const watch = plan("watch/month");
    const after = (cost: number) => ({ ...value({ cost }), granted: 0 });
    expect(statementAlerts(watch, after(5.5), { tokens: 10, cost: 1 })).toMatchObject([
      { limit: "watch", metric: "cost_per_month", used: 5.5 },
    ]);
    expect(statementAlerts(watch, after(6.5), { tokens: 10, cost: 1 })).toEqual([]);
    expect(statementAlerts(watch, after(4.5), { tokens: 10, cost: 1 })).toEqual([]);
  });
});

describe("lease sizes", () => {
  const base: LeaseInput = {
    admitted: 0,
    elapsedMs: 0,
    lastLease: 0,
    waiting: 1,
    cap: 1_000_000,
    used: 0,
    msLeftInWindow: 30_000,
    horizonMs: 150,
    share: 0.1,
  };

  it("start at 1, then follow the instance's rate over the horizon, growing at most 4× a lease", () => {
    expect(leaseSize(base)).toBe(1);
    // 1 request in 1 ms (a burst): 150 at that rate, but at most 4× the last lease.
    expect(leaseSize({ ...base, admitted: 1, elapsedMs: 1, lastLease: 1 })).toBe(4);
    // 400 requests in 100 ms = 4 per ms: 600 over 150 ms.
    expect(leaseSize({ ...base, admitted: 400, elapsedMs: 100, lastLease: 400 })).toBe(600);
    // A slow instance: 1 request in 2 s.
    expect(leaseSize({ ...base, admitted: 1, elapsedMs: 2_000, lastLease: 10 })).toBe(1);
    // Requests queued behind the lease get one each.
    expect(leaseSize({ ...base, waiting: 7 })).toBe(7);
  });

  it("fall to 1 near the cap (each request a statement: exact) and stop at the window's end", () => {
    const fast = { ...base, admitted: 400, elapsedMs: 100, lastLease: 400 };
    expect(leaseSize({ ...fast, cap: 1_000, used: 800 })).toBe(20);
    expect(leaseSize({ ...fast, cap: 1_000, used: 990 })).toBe(1);
    expect(leaseSize({ ...fast, cap: 1_000, used: 1_000, waiting: 5 })).toBe(1);
    expect(leaseSize({ ...fast, msLeftInWindow: 20 })).toBe(80);
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
