import "server-only";
import type { Db } from "@/db/client.server";
import { AppError } from "@/lib/http/errors";
import type { BudgetsConfig } from "./config";
import { chargeAlerts, chargeCounters, checkCounters, LimitIndex, verdict, type Alert, type Matched, type Subject } from "./limits";
import { PostgresCounters } from "./postgres.server";
import { RedisCounters } from "./redis.server";
import type { CounterStore } from "./store";

/** A request over a block-mode limit: 429 with Retry-After (the window's end), in each surface's dialect. */
export class BudgetExceeded extends AppError {
  readonly headers: Record<string, string>;
  constructor(
    message: string,
    readonly retryAfterS: number,
    readonly limit: string,
  ) {
    super("rate_limited", message, { limit });
    // x-should-retry: an SDK's own retry would come before the window ends and be refused again.
    this.headers = { "retry-after": String(retryAfterS), "x-should-retry": "false", "x-llmops-budget": limit };
  }
}

/** What a request spent, charged after its answer. */
export interface Spend {
  tokens: number;
  cost: number;
}

export interface BudgetOptions {
  now?: () => number;
  log?: (message: string) => void;
  fetch?: typeof fetch;
}

/**
 * Budgets and rate limits on the gateway (README). `admit` counts a request on its counters (one
 * round trip) and refuses it over a block-mode limit; the returned `charge` adds its tokens and
 * cost after the answer, without the client waiting. No limit matching a request: no round trip.
 */
export class Budgets {
  private readonly index: LimitIndex;
  private readonly now: () => number;
  private readonly log: (message: string) => void;

  constructor(
    readonly config: BudgetsConfig,
    readonly store: CounterStore,
    private readonly options: BudgetOptions = {},
  ) {
    this.index = new LimitIndex(config);
    this.now = options.now ?? Date.now;
    this.log = options.log ?? ((m) => console.warn(`[llmops] ${m}`));
  }

  /** Resolves to a charge function (undefined when nothing is charged), or throws BudgetExceeded. */
  async admit(subject: Subject): Promise<((spend: Spend) => void) | undefined> {
    const matched = this.index.match(subject);
    if (!matched.length) return undefined;
    const now = this.now();
    const counters = checkCounters(matched, now);
    let values;
    try {
      values = await this.store.hit(counters);
    } catch (error) {
      // Fail open: a counter store that cannot answer must not stop inferences (README).
      this.log(`budgets: the ${this.store.kind} counters are unavailable, request let through: ${messageOf(error)}`);
      return undefined;
    }
    const { refusals, alerts } = verdict(matched, counters, values, now);
    if (alerts.length) this.alert(alerts);
    if (refusals.length) {
      const worst = refusals.reduce((a, b) => (b.retryAfterS > a.retryAfterS ? b : a));
      throw new BudgetExceeded(
        `budget "${worst.limit}" (${worst.scope} ${worst.subject}): ${worst.metric} is ${worst.max}, used ${round(worst.used)}; retry after ${worst.retryAfterS} s`,
        worst.retryAfterS,
        worst.limit,
      );
    }
    return chargeCounters(matched, now).length ? (spend) => this.charge(matched, spend) : undefined;
  }

  private charge(matched: Matched[], spend: Spend): void {
    if (!(spend.tokens > 0) && !(spend.cost > 0)) return;
    const counters = chargeCounters(matched, this.now());
    const delta = { requests: 0, tokens: Math.round(spend.tokens), cost: spend.cost };
    this.store
      .charge(counters, delta.tokens, delta.cost)
      .then((after) => {
        const alerts = chargeAlerts(matched, counters, after, delta);
        if (alerts.length) this.alert(alerts);
      })
      .catch((error: unknown) => this.log(`budgets: a charge was lost (${this.store.kind} unavailable): ${messageOf(error)}`));
  }

  /** POSTs each alert to the webhook; never awaited by the request, bounded by the timeout. */
  private alert(alerts: Alert[]): void {
    const url = this.config.webhook_url;
    if (!url) return;
    const send = this.options.fetch ?? fetch;
    for (const alert of alerts) {
      send(url, {
        method: "POST",
        headers: { "content-type": "application/json", "user-agent": "llmops-budgets" },
        body: JSON.stringify({ event: "budget.exceeded", at: new Date(this.now()).toISOString(), ...alert }),
        signal: AbortSignal.timeout(this.config.webhook_timeout_ms),
      })
        .then((res) => {
          if (!res.ok) this.log(`budgets: webhook answered ${res.status} for limit "${alert.limit}"`);
          return res.body?.cancel();
        })
        .catch((error: unknown) => this.log(`budgets: webhook failed for limit "${alert.limit}": ${messageOf(error)}`));
    }
  }

  close(): Promise<void> {
    return this.store.close();
  }
}

/** The store the config names: Redis when `store = "redis"` (or `auto` with LLMOPS_REDIS_URL set), else Postgres. */
export function counterStoreOf(config: BudgetsConfig, db: Db, redisUrl: string | undefined): CounterStore {
  if (config.store === "redis" && !redisUrl) throw new Error('[budgets] store = "redis" needs LLMOPS_REDIS_URL');
  if (config.store === "redis" || (config.store === "auto" && redisUrl)) return new RedisCounters(redisUrl!);
  return new PostgresCounters(db, { log: (m) => console.warn(`[llmops] ${m}`) });
}

/** Budgets for a config, or undefined when it declares no limit (then the gateway pays nothing). */
export function createBudgets(
  config: BudgetsConfig,
  db: Db,
  redisUrl: string | undefined,
  options: BudgetOptions = {},
): Budgets | undefined {
  if (!Object.keys(config.limits).length) return undefined;
  return new Budgets(config, counterStoreOf(config, db, redisUrl), options);
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));
const round = (n: number) => (Number.isInteger(n) ? n : Math.round(n * 1e6) / 1e6);
