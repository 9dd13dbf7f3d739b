import "server-only";
import type { Budgets } from "./budgets.server";
import { BUDGET_SCOPES, type BudgetsConfig } from "./config";
import { windowOf, type CounterValue, type Metric, type Period } from "./limits";
import type { BudgetStatus, BudgetUsageRow } from "./schemas";

const METRICS: [Metric, Period, keyof CounterValue][] = [
  ["requests_per_minute", "minute", "requests"],
  ["tokens_per_minute", "minute", "tokens"],
  ["cost_per_day", "day", "cost"],
  ["cost_per_month", "month", "cost"],
];

/** Current spend vs budget of every declared limit, from the shared counters (one read per window). */
export async function budgetStatus(config: BudgetsConfig, budgets: Budgets | undefined, now = Date.now()): Promise<BudgetStatus> {
  const windows = (["minute", "day", "month"] as const).map((period) => ({ period, windowStart: windowOf(period, now).start }));
  let counters: Awaited<ReturnType<Budgets["store"]["current"]>> = [];
  let error: string | undefined;
  if (budgets) {
    try {
      counters = await budgets.store.current(windows);
    } catch (e) {
      error = `the budget counters (${budgets.store.kind}) are unavailable: ${e instanceof Error ? e.message : String(e)}`;
    }
  }
  const limits = Object.entries(config.limits).map(([name, limit]) => {
    const scope = BUDGET_SCOPES.find((s) => limit[s] !== undefined)!;
    const match = limit[scope]!;
    const fixed = scope === "tag" ? match.slice(match.indexOf("=") + 1) : match;
    const rows: BudgetUsageRow[] = [];
    for (const [metric, period, field] of METRICS) {
      const max = limit[metric];
      if (max === undefined) continue;
      const { start, end } = windowOf(period, now);
      const seen = counters.filter((c) => c.limit === name && c.period === period && c.windowStart === start);
      // A named value with no counter yet has used nothing; "*" lists the values seen in the window.
      const found = seen.length || fixed === "*" ? seen : [{ subject: fixed, requests: 0, tokens: 0, cost: 0 }];
      for (const c of found) {
        rows.push({
          subject: c.subject,
          metric,
          max,
          used: c[field],
          share: c[field] / max,
          window_start: new Date(start).toISOString(),
          window_end: new Date(end).toISOString(),
        });
      }
    }
    rows.sort((a, b) => b.share - a.share);
    return { name, scope, match, mode: limit.mode, rows };
  });
  return { store: budgets?.store.kind ?? null, limits, ...(error ? { error } : {}) };
}
