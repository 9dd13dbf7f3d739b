import "server-only";
import { leaseSize, statementAlerts, type Alert, type CounterPlan, type CounterValue } from "./limits";
import type { CounterOp, CounterStore } from "./store";

/** How this instance amortises its statements (README: leases and coalesced charges). */
export interface LedgerOptions {
  /** A lease covers about this many ms of this instance's traffic on a counter. */
  horizonMs: number;
  /** A lease takes at most this share of what is left under the cap. */
  share: number;
  /** Charges wait at most this long before their statement… */
  flushMs: number;
  /** …or until this many are pending. */
  flushAt: number;
  /** A counter's view older than this is read again before a tokens or cost pre-check. */
  maxViewAgeMs: number;
}

export const LEDGER_DEFAULTS: LedgerOptions = { horizonMs: 150, share: 0.1, flushMs: 25, flushAt: 256, maxViewAgeMs: 1_000 };

/** One counter (one window) as this instance knows it. */
export interface Slot {
  plan: CounterPlan;
  /** Requests leased from the store and not yet admitted. */
  lease: number;
  /** Block mode: the store has nothing left under the cap in this window (counters only grow). */
  full: boolean;
  /** The counter's values as the last statement returned them, plus this instance's charges since. */
  view?: CounterValue;
  viewAt: number;
  pending: { tokens: number; cost: number; count: number };
  inflight?: Promise<void>;
  waiting: number;
}

/** Rate of one counter family (limit, subject) across windows, for lease sizing. */
interface Pace {
  admitted: number;
  markAdmitted: number;
  markAt: number;
  lastLease: number;
}

export interface LedgerStats {
  statements: number;
  leaseStatements: number;
  chargeStatements: number;
  leased: number;
  /** Sizes of the last leases (at most 64), newest last. */
  recentLeases: number[];
}

/**
 * The per-instance side of the counters: leases of requests taken from the store, charges summed
 * per counter until their statement, and the views those statements return. Nothing here has to
 * agree with another instance: the store grants leases atomically and never past a block-mode cap.
 */
export class Ledger {
  readonly stats: LedgerStats = { statements: 0, leaseStatements: 0, chargeStatements: 0, leased: 0, recentLeases: [] };
  private readonly slots = new Map<string, Slot>();
  private readonly paces = new Map<string, Pace>();
  private pendingCharges = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly flushing = new Set<Promise<void>>();
  private lastPrune = 0;

  constructor(
    private readonly store: CounterStore,
    private readonly options: LedgerOptions,
    private readonly now: () => number,
    private readonly onAlerts: (alerts: Alert[]) => void,
    private readonly onLost: (what: string, error: unknown) => void,
  ) {}

  slot(plan: CounterPlan): Slot {
    let s = this.slots.get(plan.id);
    if (!s) {
      s = { plan, lease: 0, full: false, viewAt: 0, pending: { tokens: 0, cost: 0, count: 0 }, waiting: 0 };
      this.slots.set(plan.id, s);
      const now = this.now();
      if (now - this.lastPrune > 5_000) this.prune(now);
    }
    return s;
  }

  fresh(s: Slot, now: number): boolean {
    return s.view !== undefined && now - s.viewAt <= this.options.maxViewAgeMs;
  }

  /**
   * Takes one request from the slot's lease (the caller checked it has one). When a lease of 4 or
   * more is half used, the next one is asked for in the background, so requests do not wait for it.
   */
  take(s: Slot): void {
    s.lease -= 1;
    const pace = this.pace(s.plan);
    pace.admitted += 1;
    if (pace.lastLease >= 4 && s.lease < pace.lastLease / 2 && !s.inflight && !s.full) {
      const sent = this.send([[s, this.leaseFor(s, this.now())]]).catch(() => undefined);
      s.inflight = sent;
    }
  }

  /**
   * Brings the slots up to date: a lease for those with none left, a read for stale views. Slots
   * with a statement in flight are waited for, not asked again. Rejects when the store fails.
   */
  async refill(need: Slot[]): Promise<void> {
    const now = this.now();
    const waits: Promise<void>[] = [];
    const ask: [Slot, number][] = [];
    for (const s of need) {
      if (s.inflight) waits.push(s.inflight);
      else ask.push([s, s.plan.rpm !== undefined && s.lease < 1 ? this.leaseFor(s, now) : 0]);
    }
    for (const s of need) s.waiting += 1;
    try {
      if (ask.length) {
        const sent = this.send(ask);
        for (const [s] of ask) s.inflight = sent;
        waits.push(sent);
      }
      await Promise.all(waits);
    } finally {
      for (const s of need) s.waiting -= 1;
    }
  }

  /** Adds a charge to its counter; its statement goes within flushMs (or at once past flushAt). */
  charge(s: Slot, tokens: number, cost: number): void {
    s.pending.tokens += tokens;
    s.pending.cost += cost;
    s.pending.count += 1;
    // This instance's own spend counts in its pre-check at once.
    if (s.view) s.view = { ...s.view, tokens: s.view.tokens + tokens, cost: s.view.cost + cost };
    if (++this.pendingCharges >= this.options.flushAt) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), this.options.flushMs).unref();
  }

  /** Sends every pending charge now (one statement); resolves when every statement sent so far is done. */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pendingCharges > 0) {
      const sent = this.send([]).catch(() => undefined);
      this.flushing.add(sent);
      void sent.finally(() => this.flushing.delete(sent));
    }
    await Promise.all([...this.flushing, ...[...this.slots.values()].map((s) => s.inflight?.catch(() => undefined))]);
  }

  private leaseFor(s: Slot, now: number): number {
    const pace = this.pace(s.plan);
    const rpm = s.plan.rpm!;
    const used = s.view?.requests ?? 0;
    const k = leaseSize({
      admitted: pace.admitted - pace.markAdmitted,
      elapsedMs: now - pace.markAt,
      lastLease: pace.lastLease,
      waiting: s.waiting + 1,
      // Alert mode past its cap: nothing left to be exact about.
      cap: s.plan.matched.limit.mode === "alert" && used > rpm ? Infinity : rpm,
      used,
      msLeftInWindow: s.plan.counter.windowEnd - now,
      horizonMs: this.options.horizonMs,
      share: this.options.share,
    });
    Object.assign(pace, { markAdmitted: pace.admitted, markAt: now, lastLease: k });
    return k;
  }

  /** One statement: the asked leases and reads, plus every pending charge (they ride along). */
  private async send(ask: [Slot, number][]): Promise<void> {
    const wants = new Map(ask);
    for (const s of this.slots.values()) if (s.pending.count > 0 && !wants.has(s)) wants.set(s, 0);
    const slots = [...wants.keys()];
    const charged = slots.map((s) => ({ ...s.pending }));
    for (const s of slots) s.pending = { tokens: 0, cost: 0, count: 0 };
    const count = charged.reduce((n, c) => n + c.count, 0);
    this.pendingCharges -= count;
    const ops: CounterOp[] = slots.map((s, i) => ({
      counter: s.plan.counter,
      requests: wants.get(s)!,
      cap: s.plan.rpm ?? null,
      alert: s.plan.matched.limit.mode === "alert",
      tokens: charged[i]!.tokens,
      cost: charged[i]!.cost,
    }));
    this.stats.statements += 1;
    if (ask.length) this.stats.leaseStatements += 1;
    else this.stats.chargeStatements += 1;
    try {
      const results = await this.store.add(ops);
      const now = this.now();
      const alerts: Alert[] = [];
      slots.forEach((s, i) => {
        const r = results[i]!;
        s.lease += r.granted;
        if (wants.get(s)! > 0) {
          this.stats.leased += r.granted;
          this.stats.recentLeases.push(wants.get(s)!);
          if (this.stats.recentLeases.length > 64) this.stats.recentLeases.shift();
        }
        if (s.plan.rpm !== undefined && s.plan.matched.limit.mode === "block" && r.requests >= s.plan.rpm) s.full = true;
        // The view: the store's values plus this instance's charges made since this statement left.
        s.view = { requests: r.requests, tokens: r.tokens + s.pending.tokens, cost: r.cost + s.pending.cost };
        s.viewAt = now;
        alerts.push(...statementAlerts(s.plan, r, charged[i]!));
      });
      if (alerts.length) this.onAlerts(alerts);
    } catch (error) {
      if (count > 0) this.onLost(`${count} charge(s)`, error);
      throw error;
    } finally {
      for (const s of ask.map(([slot]) => slot)) s.inflight = undefined;
    }
  }

  private pace(plan: CounterPlan): Pace {
    const key = `${plan.matched.name}\u0000${plan.matched.subject}`;
    let p = this.paces.get(key);
    if (!p) this.paces.set(key, (p = { admitted: 0, markAdmitted: 0, markAt: 0, lastLease: 0 }));
    return p;
  }

  /** Slots of ended windows go (an unused lease with them: the store counted it as reserved). */
  private prune(now: number): void {
    this.lastPrune = now;
    for (const [id, s] of this.slots) {
      if (s.plan.counter.windowEnd < now && !s.inflight && s.pending.count === 0) this.slots.delete(id);
    }
    // Paces of counters with no lease for two minutes (`*` limits meet many values): start again at 1.
    for (const [key, p] of this.paces) if (now - p.markAt > 120_000) this.paces.delete(key);
  }
}
