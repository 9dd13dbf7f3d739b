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

/** Counters a request is counted on before the call (each gets one more request). */
export function checkCounters(matched: Matched[], now: number): Counter[] {
  return countersFor(matched, now, (l) => [
    l.requests_per_minute !== undefined || l.tokens_per_minute !== undefined ? "minute" : undefined,
    l.cost_per_day !== undefined ? "day" : undefined,
    l.cost_per_month !== undefined ? "month" : undefined,
  ]);
}

/** Counters charged after the call with its tokens and cost (none when only requests are limited). */
export function chargeCounters(matched: Matched[], now: number): Counter[] {
  return countersFor(matched, now, (l) => [
    l.tokens_per_minute !== undefined ? "minute" : undefined,
    l.cost_per_day !== undefined ? "day" : undefined,
    l.cost_per_month !== undefined ? "month" : undefined,
  ]);
}

function countersFor(matched: Matched[], now: number, periods: (l: LimitConfig) => (Period | undefined)[]): Counter[] {
  const seen = new Map<string, Counter>();
  for (const m of matched) {
    for (const period of periods(m.limit)) {
      if (!period) continue;
      const c = counterOf(m.name, m.subject, period, now);
      seen.set(counterId(c), c);
    }
  }
  // Always the same order, so concurrent upserts of several rows lock them alike (no deadlock).
  return [...seen.values()].sort((a, b) => (counterId(a) < counterId(b) ? -1 : 1));
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

const alertOf = (m: Matched, c: Counter, metric: Metric, max: number, used: number): Alert => ({
  limit: m.name,
  scope: m.scope,
  subject: m.subject,
  metric,
  max,
  used,
  window_start: new Date(c.windowStart).toISOString(),
  window_end: new Date(c.windowEnd).toISOString(),
});

/**
 * After the request was counted: a request over `requests_per_minute` (this one included) or
 * arriving when tokens or cost already reached their cap. Block-mode limits refuse; alert-mode
 * limits alert once, on the request that crosses (the counters are atomic, so one request does).
 */
export function verdict(
  matched: Matched[],
  counters: Counter[],
  values: CounterValue[],
  now: number,
): { refusals: Refusal[]; alerts: Alert[] } {
  const refusals: Refusal[] = [];
  const alerts: Alert[] = [];
  const byId = new Map(counters.map((c, i) => [counterId(c), [c, values[i]!] as const]));
  for (const m of matched) {
    for (const period of ["minute", "day", "month"] as const) {
      const found = byId.get(counterId(counterOf(m.name, m.subject, period, now)));
      if (!found) continue;
      const [c, v] = found;
      for (const [metric, max, field] of metricsOf(m.limit, period)) {
        const used = v[field];
        const over = field === "requests" ? used > max : used >= max;
        if (!over) continue;
        if (m.limit.mode === "block")
          refusals.push({ ...alertOf(m, c, metric, max, used), retryAfterS: Math.max(1, Math.ceil((c.windowEnd - now) / 1000)) });
        else if (field === "requests" && used === max + 1) alerts.push(alertOf(m, c, metric, max, used));
      }
    }
  }
  return { refusals, alerts };
}

/** Alert-mode limits whose tokens or cost this charge took from under the cap to at or over it. */
export function chargeAlerts(matched: Matched[], counters: Counter[], after: CounterValue[], delta: CounterValue): Alert[] {
  const alerts: Alert[] = [];
  const byId = new Map(counters.map((c, i) => [counterId(c), [c, after[i]!] as const]));
  for (const m of matched) {
    if (m.limit.mode !== "alert") continue;
    for (const [id, [c, v]] of byId) {
      if (!id.startsWith(`${m.name}\u0000${m.subject}\u0000`)) continue;
      for (const [metric, max, field] of metricsOf(m.limit, c.period)) {
        if (field === "requests") continue;
        if (v[field] >= max && v[field] - delta[field] < max) alerts.push(alertOf(m, c, metric, max, v[field]));
      }
    }
  }
  return alerts;
}
