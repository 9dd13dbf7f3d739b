import "server-only";
import type { Db } from "@/db/client.server";
import { AppError } from "@/lib/http/errors";
import type { BudgetsConfig } from "./config";
import { Ledger, LEDGER_DEFAULTS, type LedgerOptions, type Slot } from "./ledger.server";
import { LimitIndex, plansOf, refusalOf, spentRefusals, type Alert, type Matched, type Refusal, type Subject } from "./limits";
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
  /** Lease and charge tuning (README); the defaults are what the gateway runs with. */
  ledger?: Partial<LedgerOptions>;
}

/** A request waits for at most this many statements (leases taken by concurrent requests first). */
const MAX_ROUNDS = 50;

/**
 * Budgets and rate limits on the gateway (README). `admit` takes one request from a lease of each
 * `requests_per_minute` counter (a statement when a lease is used up) and checks tokens and cost
 * against a view at most `maxViewAgeMs` old; the returned `charge` adds the answer's tokens and
 * cost to this instance's pending sums, flushed within `flushMs`. No matching limit: nothing at all.
 */
export class Budgets {
  private readonly index: LimitIndex;
  private readonly now: () => number;
  private readonly log: (message: string) => void;
  readonly ledger: Ledger;
  private closed = false;
  private readonly recent = new Map<string, { minute: number; slots: Slot[] }>();

  constructor(
    readonly config: BudgetsConfig,
    readonly store: CounterStore,
    private readonly options: BudgetOptions = {},
  ) {
    this.index = new LimitIndex(config);
    this.now = options.now ?? Date.now;
    this.log = options.log ?? ((m) => console.warn(`[llmops] ${m}`));
    this.ledger = new Ledger(
      store,
      { ...LEDGER_DEFAULTS, ...options.ledger },
      this.now,
      (alerts) => this.alert(alerts),
      (what, error) => this.log(`budgets: ${what} lost (${this.store.kind} unavailable): ${messageOf(error)}`),
    );
  }

  /** Resolves to a charge function (undefined when nothing is charged), or throws BudgetExceeded. */
  async admit(subject: Subject): Promise<((spend: Spend) => void) | undefined> {
    const matched = this.index.match(subject);
    if (!matched.length) return undefined;
    let now = this.now();
    const slots = this.slotsOf(matched, now);
    const charge = slots.some((s) => s.plan.charged) ? (spend: Spend) => this.charge(matched, spend) : undefined;
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const refusals: Refusal[] = [];
      const need: Slot[] = [];
      for (const s of slots) {
        const p = s.plan;
        if (p.rpm !== undefined && s.lease < 1) {
          // A full window stays full (counters only grow): refused here until it ends, no statement.
          if (s.full) refusals.push(refusalOf(p, "requests_per_minute", p.rpm, s.view!.requests, now));
          else need.push(s);
        } else if (p.spent.length && !this.ledger.fresh(s, now)) need.push(s);
      }
      if (!refusals.length && !need.length) {
        for (const s of slots) refusals.push(...spentRefusals(s.plan, s.view!, now));
        if (!refusals.length) {
          for (const s of slots) if (s.plan.rpm !== undefined) this.ledger.take(s);
          return charge;
        }
      }
      if (refusals.length) throw this.refuse(refusals);
      try {
        await this.ledger.refill(need);
      } catch (error) {
        // Fail open: a counter store that cannot answer must not stop inferences (README).
        this.log(`budgets: the ${this.store.kind} counters are unavailable, request let through: ${messageOf(error)}`);
        return charge;
      }
      now = this.now();
    }
    this.log(`budgets: no lease after ${MAX_ROUNDS} statements (contention), request let through`);
    return charge;
  }

  private refuse(refusals: Refusal[]): BudgetExceeded {
    const worst = refusals.reduce((a, b) => (b.retryAfterS > a.retryAfterS ? b : a));
    return new BudgetExceeded(
      `budget "${worst.limit}" (${worst.scope} ${worst.subject}): ${worst.metric} is ${worst.max}, used ${round(worst.used)}; retry after ${worst.retryAfterS} s`,
      worst.retryAfterS,
      worst.limit,
    );
  }

  /** Adds the answer's spend to this instance's pending sums (README: coalesced charges). */
  private charge(matched: Matched[], spend: Spend): void {
    if (!(spend.tokens > 0) && !(spend.cost > 0)) return;
    if (this.closed) return this.log("budgets: a charge after close was lost");
    const tokens = spend.tokens > 0 ? Math.round(spend.tokens) : 0;
    const cost = spend.cost > 0 ? spend.cost : 0;
    for (const s of this.slotsOf(matched, this.now())) if (s.plan.charged) this.ledger.charge(s, tokens, cost);
  }

  /** The slots of these limits in the windows of `now`, kept for the current minute (every window starts on a minute). */
  private slotsOf(matched: Matched[], now: number): Slot[] {
    const minute = now - (now % 60_000);
    let key = "";
    for (const m of matched) key += `${m.name}\u0000${m.subject}\u0001`;
    const hit = this.recent.get(key);
    if (hit?.minute === minute) return hit.slots;
    if (this.recent.size > 10_000) this.recent.clear();
    const slots = plansOf(matched, now).map((p) => this.ledger.slot(p));
    this.recent.set(key, { minute, slots });
    return slots;
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

  /** Sends the pending charges (shutdown: lib/lifecycle's hooks run before the stores close), then closes the store. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.ledger.flush();
    this.closed = true;
    await this.store.close();
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
