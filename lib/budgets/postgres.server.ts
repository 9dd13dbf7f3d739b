import "server-only";
import { and, eq, lt, or, sql } from "drizzle-orm";
import type { Db } from "@/db/client.server";
import { budgetCounters } from "@/db/schema";
import { counterId, type Counter, type CounterValue } from "./limits";
import type { CounterStore } from "./store";

const t = budgetCounters;

/** Counters as Postgres rows, one atomic upsert per request (README: why fixed windows). */
export class PostgresCounters implements CounterStore {
  readonly kind = "postgres" as const;
  private lastSweep = 0;

  constructor(
    private readonly db: Db,
    private readonly options: { sweepEveryMs?: number; log?: (m: string) => void } = {},
  ) {}

  hit(counters: Counter[]): Promise<CounterValue[]> {
    return this.upsert(counters, 1, 0, 0);
  }

  charge(counters: Counter[], tokens: number, cost: number): Promise<CounterValue[]> {
    this.sweep();
    return this.upsert(counters, 0, tokens, cost);
  }

  private async upsert(counters: Counter[], requests: number, tokens: number, cost: number): Promise<CounterValue[]> {
    if (!counters.length) return [];
    const rows = await this.db
      .insert(t)
      .values(
        counters.map((c) => ({
          limitName: c.limit,
          subject: c.subject,
          period: c.period,
          windowStart: c.windowStart,
          expiresAt: c.expiresAt,
          requests,
          tokens,
          cost,
        })),
      )
      .onConflictDoUpdate({
        target: [t.limitName, t.subject, t.period, t.windowStart],
        set: {
          requests: sql`${t.requests} + excluded.requests`,
          tokens: sql`${t.tokens} + excluded.tokens`,
          cost: sql`${t.cost} + excluded.cost`,
        },
      })
      .returning({
        limit: t.limitName,
        subject: t.subject,
        period: t.period,
        windowStart: t.windowStart,
        requests: t.requests,
        tokens: t.tokens,
        cost: t.cost,
      });
    // RETURNING does not promise the VALUES order: match rows back by key.
    const byId = new Map(rows.map((r) => [counterId(r), r]));
    return counters.map((c) => {
      const r = byId.get(counterId(c));
      return { requests: Number(r?.requests ?? 0), tokens: Number(r?.tokens ?? 0), cost: Number(r?.cost ?? 0) };
    });
  }

  async current(windows: { period: string; windowStart: number }[]) {
    if (!windows.length) return [];
    const rows = await this.db
      .select({
        limit: t.limitName,
        subject: t.subject,
        period: t.period,
        windowStart: t.windowStart,
        requests: t.requests,
        tokens: t.tokens,
        cost: t.cost,
      })
      .from(t)
      .where(or(...windows.map((w) => and(eq(t.period, w.period), eq(t.windowStart, w.windowStart)))));
    return rows.map((r) => ({
      ...r,
      period: r.period as Counter["period"],
      requests: Number(r.requests),
      tokens: Number(r.tokens),
      cost: Number(r.cost),
    }));
  }

  /** Expired windows go now and then, from whichever instance charges; never awaited by a request. */
  private sweep(): void {
    const now = Date.now();
    if (now - this.lastSweep < (this.options.sweepEveryMs ?? 600_000)) return;
    this.lastSweep = now;
    this.db
      .delete(t)
      .where(lt(t.expiresAt, now))
      .catch((error: unknown) => this.options.log?.(`budgets: sweep failed: ${error instanceof Error ? error.message : String(error)}`));
  }

  async close(): Promise<void> {}
}
