import "server-only";
import { and, eq, lt, or } from "drizzle-orm";
import type { Db } from "@/db/client.server";
import { budgetCounters } from "@/db/schema";
import { counterId, type Counter, type CounterValue } from "./limits";
import type { CounterOp, CounterResult, CounterStore } from "./store";

const t = budgetCounters;

type UpsertRow = { limit: string; subject: string; period: string; window_start: string | number; granted: string | number } & Record<
  keyof CounterValue,
  string | number
>;

/** The driver under Drizzle: postgres-js (`unsafe`) or PGlite (`query`); both take $n parameters. */
interface RawClient {
  unsafe?: (query: string, params: unknown[], options: { prepare: boolean }) => Promise<UpsertRow[]>;
  query?: (query: string, params: unknown[]) => Promise<{ rows: UpsertRow[] }>;
}

function rawClient(db: Db): RawClient {
  // Drizzle keeps its driver as `$client` (not in the shared Db type, hence the cast).
  const client = (db as unknown as { $client?: RawClient }).$client;
  if (!client?.unsafe && !client?.query) throw new Error("budgets: the Postgres driver is neither postgres-js nor PGlite");
  return client;
}

/**
 * Fixed text (no value is ever spliced in); rows are ordered so concurrent upserts lock alike.
 * Per counter: n requests wanted, m the cap (null: none), a alert mode, t tokens, c cost. The grant
 * is computed from the locked row (`t.requests`), so concurrent leases never pass a block-mode cap;
 * `last_grant` carries it to RETURNING (Postgres before 18 cannot return the old row).
 */
const UPSERT = `WITH v AS (SELECT * FROM jsonb_to_recordset($1::text::jsonb)
    AS v(l text, s text, p text, w bigint, e bigint, n bigint, m bigint, a boolean, t bigint, c float8))
INSERT INTO budget_counters AS t (limit_name, subject, period, window_start, expires_at, requests, tokens, cost, last_grant)
  SELECT v.l, v.s, v.p, v.w, v.e, g.n, v.t, v.c, g.n
  FROM v CROSS JOIN LATERAL (SELECT CASE WHEN v.m IS NULL THEN v.n WHEN v.m > 0 THEN least(v.n, v.m) WHEN v.a THEN v.n ELSE 0 END AS n) g,
    (SELECT set_config('synchronous_commit', 'off', true)) AS async_commit
  ORDER BY v.l, v.s, v.p, v.w
  ON CONFLICT (limit_name, subject, period, window_start) DO UPDATE
    SET (last_grant, requests) = (SELECT g.n, t.requests + g.n FROM (SELECT CASE WHEN v.m IS NULL THEN v.n
        WHEN t.requests < v.m THEN least(v.n, v.m - t.requests) WHEN v.a THEN v.n ELSE 0 END AS n
        FROM v WHERE v.l = t.limit_name AND v.s = t.subject AND v.p = t.period AND v.w = t.window_start) g),
      tokens = t.tokens + excluded.tokens, cost = t.cost + excluded.cost
  RETURNING limit_name AS "limit", subject, period, window_start, last_grant AS granted, requests, tokens, cost`;

/** Counters as Postgres rows, one atomic upsert per statement (README: leases, coalesced charges). */
export class PostgresCounters implements CounterStore {
  readonly kind = "postgres" as const;
  private lastSweep = 0;

  constructor(
    private readonly db: Db,
    private readonly options: { sweepEveryMs?: number; log?: (m: string) => void } = {},
  ) {}

  /**
   * One statement of fixed text, prepared once per connection on the Postgres server, whatever the
   * number of counters: the rows come as one JSON parameter. `synchronous_commit` is off for this
   * statement only: its commit does not wait for the WAL flush (README: what a crash may lose).
   */
  async add(ops: CounterOp[]): Promise<CounterResult[]> {
    if (!ops.length) return [];
    if (ops.some((o) => o.tokens || o.cost)) this.sweep();
    const json = JSON.stringify(
      ops.map(({ counter: k, ...o }) => ({
        l: k.limit,
        s: k.subject,
        p: k.period,
        w: k.windowStart,
        e: k.expiresAt,
        n: o.requests,
        m: o.cap,
        a: o.alert,
        t: Math.round(o.tokens),
        c: o.cost,
      })),
    );
    const client = rawClient(this.db);
    // The driver straight (postgres-js prepared, or PGlite): through Drizzle's execute() the same
    // statement went unprepared and cost ~4x the CPU per request (lib/budgets/README.md).
    const rows = client.unsafe ? await client.unsafe(UPSERT, [json], { prepare: true }) : (await client.query!(UPSERT, [json])).rows;
    // RETURNING does not promise the input order: match rows back by key.
    const byId = new Map(rows.map((r) => [counterId({ ...r, windowStart: Number(r.window_start) }), r]));
    return ops.map(({ counter }) => {
      const r = byId.get(counterId(counter));
      return {
        granted: Number(r?.granted ?? 0),
        requests: Number(r?.requests ?? 0),
        tokens: Number(r?.tokens ?? 0),
        cost: Number(r?.cost ?? 0),
      };
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
