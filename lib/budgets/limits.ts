import type { BudgetsConfig, BudgetScope, LimitConfig } from "./config";

/**
 * Pure part of budgets: which limits a request falls under, the fixed windows it is counted in,
 * and what the counters say (refuse, alert). Stores (Postgres, Redis) only add and read numbers.
 */
export type Period = "minute" | "day" | "month";

/** What a request is counted as: known after the variant is chosen (its model). */
export interface Subject {
  apiKey?: string;
  functionName: string;
  modelName: string;
  tags?: Record<string, string>;
}

export interface Counter {
  limit: string;
  /** The value the limit counts by: the key, function or model name, or the tag's value. */
  subject: string;
  period: Period;
  windowStart: number;
  windowEnd: number;
  /** When the row may be deleted: a while after its window, so the Cost page can still show it. */
  expiresAt: number;
}

export interface CounterValue {
  requests: number;
  tokens: number;
  cost: number;
}

export interface Matched {
  name: string;
  limit: LimitConfig;
  scope: BudgetScope;
  subject: string;
}

export type Metric = "requests_per_minute" | "tokens_per_minute" | "cost_per_day" | "cost_per_month";

export interface Alert {
  limit: string;
  scope: BudgetScope;
  subject: string;
  metric: Metric;
  max: number;
  used: number;
  window_start: string;
  window_end: string;
}

export interface Refusal extends Alert {
  retryAfterS: number;
}

const KEEP_MS: Record<Period, number> = { minute: 3_600_000, day: 3 * 86_400_000, month: 70 * 86_400_000 };

/** Fixed UTC windows: the minute, the calendar day, the calendar month (README: why fixed). */
export function windowOf(period: Period, now: number): { start: number; end: number } {
  if (period === "minute") {
    const start = now - (now % 60_000);
    return { start, end: start + 60_000 };
  }
  const d = new Date(now);
  if (period === "day") {
    const start = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
    return { start, end: start + 86_400_000 };
  }
  return { start: Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1), end: Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) };
}

export function counterOf(limit: string, subject: string, period: Period, now: number): Counter {
  const { start, end } = windowOf(period, now);
  return { limit, subject, period, windowStart: start, windowEnd: end, expiresAt: end + KEEP_MS[period] };
}

export const counterId = (c: { limit: string; subject: string; period: string; windowStart: number }) =>
  `${c.limit}\u0000${c.subject}\u0000${c.period}\u0000${c.windowStart}`;

/** Limits grouped by scope once, so a request only looks at what could match it. */
export class LimitIndex {
  private readonly byScope: Record<BudgetScope, [string, LimitConfig][]> = { api_key: [], function: [], model: [], tag: [] };
  readonly size: number;

  constructor(config: BudgetsConfig) {
    for (const [name, limit] of Object.entries(config.limits)) {
      const scope = (["api_key", "function", "model", "tag"] as const).find((s) => limit[s] !== undefined)!;
      this.byScope[scope].push([name, limit]);
    }
    this.size = Object.keys(config.limits).length;
  }

  match(s: Subject): Matched[] {
    const out: Matched[] = [];
    const add = (scope: BudgetScope, value: string | undefined) => {
      if (value === undefined) return;
      for (const [name, limit] of this.byScope[scope]) {
        const want = limit[scope]!;
        if (want === "*" || want === value) out.push({ name, limit, scope, subject: value });
      }
    };
    add("api_key", s.apiKey);
    add("function", s.functionName);
    add("model", s.modelName);
    for (const [name, limit] of this.byScope.tag) {
      const at = limit.tag!.indexOf("=");
      const value = s.tags?.[limit.tag!.slice(0, at)];
      const want = limit.tag!.slice(at + 1);
      if (value !== undefined && (want === "*" || want === value)) out.push({ name, limit, scope: "tag", subject: value });
    }
    return out;
  }
}

/** One counter a request falls under, with what is checked and charged on it. */
export interface CounterPlan {
  id: string;
  counter: Counter;
  matched: Matched;
  /** `requests_per_minute` counted on this (minute) counter: a request takes one from a lease. */
  rpm?: number;
  /** Tokens or cost caps checked before the call against what is already spent (a pre-check). */
  spent: [Metric, number, "tokens" | "cost"][];
  /** Tokens or cost are charged to it after the call. */
  charged: boolean;
}

/** Every counter of the matched limits in the windows of `now` (one per limit and period). */
export function plansOf(matched: Matched[], now: number): CounterPlan[] {
  const out: CounterPlan[] = [];
  for (const m of matched) {
    const l = m.limit;
    for (const period of ["minute", "day", "month"] as const) {
      const metrics = metricsOf(l, period);
      if (!metrics.length) continue;
      const counter = counterOf(m.name, m.subject, period, now);
      const spent = metrics.filter((x): x is [Metric, number, "tokens" | "cost"] => x[2] !== "requests");
      const rpm = period === "minute" ? l.requests_per_minute : undefined;
      out.push({ id: counterId(counter), counter, matched: m, ...(rpm !== undefined ? { rpm } : {}), spent, charged: spent.length > 0 });
    }
  }
  return out;
}

function metricsOf(limit: LimitConfig, period: Period): [Metric, number, keyof CounterValue][] {
  const out: [Metric, number, keyof CounterValue][] = [];
  if (period === "minute" && limit.requests_per_minute !== undefined)
    out.push(["requests_per_minute", limit.requests_per_minute, "requests"]);
  if (period === "minute" && limit.tokens_per_minute !== undefined) out.push(["tokens_per_minute", limit.tokens_per_minute, "tokens"]);
  if (period === "day" && limit.cost_per_day !== undefined) out.push(["cost_per_day", limit.cost_per_day, "cost"]);
  if (period === "month" && limit.cost_per_month !== undefined) out.push(["cost_per_month", limit.cost_per_month, "cost"]);
  return out;
}

export const alertOf = (p: CounterPlan, metric: Metric, max: number, used: number): Alert => ({
  limit: p.matched.name,
  scope: p.matched.scope,
  subject: p.matched.subject,
  metric,
  max,
  used,
  window_start: new Date(p.counter.windowStart).toISOString(),
  window_end: new Date(p.counter.windowEnd).toISOString(),
});

export const refusalOf = (p: CounterPlan, metric: Metric, max: number, used: number, now: number): Refusal => ({
  ...alertOf(p, metric, max, used),
  retryAfterS: Math.max(1, Math.ceil((p.counter.windowEnd - now) / 1000)),
});

/** Block-mode tokens or cost caps already reached by what the counter's view says is spent. */
export function spentRefusals(p: CounterPlan, view: CounterValue, now: number): Refusal[] {
  if (p.matched.limit.mode !== "block") return [];
  return p.spent.filter(([, max, field]) => view[field] >= max).map(([metric, max, field]) => refusalOf(p, metric, max, view[field], now));
}

/**
 * Alerts of one statement on one counter: the grant that takes `requests` past the cap (the
 * request numbered cap + 1 is in it), and the charge that takes tokens or cost from under the cap
 * to at or over it. The store is atomic, so exactly one statement crosses, across all instances.
 */
export function statementAlerts(
  p: CounterPlan,
  after: CounterValue & { granted: number },
  charged: { tokens: number; cost: number },
): Alert[] {
  if (p.matched.limit.mode !== "alert") return [];
  const alerts: Alert[] = [];
  if (p.rpm !== undefined && after.granted > 0 && after.requests - after.granted <= p.rpm && after.requests > p.rpm)
    alerts.push(alertOf(p, "requests_per_minute", p.rpm, p.rpm + 1));
  for (const [metric, max, field] of p.spent) {
    if (charged[field] > 0 && after[field] >= max && after[field] - charged[field] < max)
      alerts.push(alertOf(p, metric, max, after[field]));
  }
  return alerts;
}

/** Lease sizing (README): this instance's recent rate × a horizon, bounded near the cap and the window's end. */
export interface LeaseInput {
  /** Requests this instance admitted on the counter since its last lease, and over how many ms. */
  admitted: number;
  elapsedMs: number;
  /** The last lease's size (0 before the first): growth is at most 4× per lease. */
  lastLease: number;
  /** Requests waiting for this lease (this one included). */
  waiting: number;
  cap: number;
  /** The counter's requests (admitted + reserved, every instance) as last seen. */
  used: number;
  msLeftInWindow: number;
  horizonMs: number;
  /** At most this share of what is left under the cap. */
  share: number;
}

export function leaseSize(x: LeaseInput): number {
  const rate = x.lastLease > 0 ? x.admitted / Math.max(x.elapsedMs, 1) : 0;
  let k = Math.min(Math.ceil(rate * x.horizonMs), 4 * Math.max(x.lastLease, 1));
  // Not past the window's end at this rate: a lease left over then is wasted.
  k = Math.min(k, Math.ceil(rate * Math.max(x.msLeftInWindow, 0)));
  k = Math.max(k, x.waiting, 1);
  // Near the cap the lease falls to 1: every request is a statement again, so the cap is exact.
  return Math.max(1, Math.min(k, Math.floor((x.cap - x.used) * x.share)));
}
