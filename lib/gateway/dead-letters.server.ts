import "server-only";
import type { ClickHouseClient } from "@clickhouse/client";
import { asc, count, desc, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "@/db/client.server";
import { gatewayDeadLetters } from "@/db/schema";
import {
  clickHouseCode,
  errorText,
  isolate,
  LOG_TABLES,
  LogOutage,
  type LogEntry,
  type LogTable,
  type Rejected,
} from "./log-insert.server";

/**
 * The recorder's dead letters: rows ClickHouse refused on their own, kept in Postgres with the
 * error (every instance sees and retries the same list; see README). A retry writes them again
 * through the same bisection, deletes what ClickHouse took and counts another attempt on the rest.
 */
export interface DeadLetterSummary {
  count: number;
  by_table: Record<string, number>;
  latest: { id: number; table: string; error: string; error_code: string; attempts: number; last_failed_at: string }[];
}

export interface RetryResult {
  retried: number;
  written: number;
  still_refused: number;
}

const clipError = (text: string) => (text.length > 1000 ? `${text.slice(0, 1000)}…` : text);

export class DeadLetters {
  constructor(
    private readonly db: Db,
    private readonly instanceId = "",
  ) {}

  /** Keeps refused rows; throws if Postgres cannot (the caller keeps them and tries again). */
  async save(rejected: Rejected[], at = Date.now()): Promise<void> {
    if (rejected.length === 0) return;
    await this.db.insert(gatewayDeadLetters).values(
      rejected.map(({ entry, error }) => ({
        tableName: entry.table,
        row: entry.json,
        error: clipError(errorText(error)),
        errorCode: clickHouseCode(error)?.type ?? "",
        instanceId: this.instanceId,
        firstFailedAt: at,
        lastFailedAt: at,
      })),
    );
  }

  async summary(latest = 5): Promise<DeadLetterSummary> {
    const [byTable, rows] = await Promise.all([
      this.db.select({ table: gatewayDeadLetters.tableName, n: count() }).from(gatewayDeadLetters).groupBy(gatewayDeadLetters.tableName),
      this.db
        .select({
          id: gatewayDeadLetters.id,
          table: gatewayDeadLetters.tableName,
          error: gatewayDeadLetters.error,
          errorCode: gatewayDeadLetters.errorCode,
          attempts: gatewayDeadLetters.attempts,
          lastFailedAt: gatewayDeadLetters.lastFailedAt,
        })
        .from(gatewayDeadLetters)
        .orderBy(desc(gatewayDeadLetters.lastFailedAt), desc(gatewayDeadLetters.id))
        .limit(latest),
    ]);
    return {
      count: byTable.reduce((s, r) => s + Number(r.n), 0),
      by_table: Object.fromEntries(byTable.map((r) => [r.table, Number(r.n)])),
      latest: rows.map((r) => ({
        id: r.id,
        table: r.table,
        error: r.error.length > 250 ? `${r.error.slice(0, 250)}…` : r.error,
        error_code: r.errorCode,
        attempts: r.attempts,
        last_failed_at: new Date(r.lastFailedAt).toISOString(),
      })),
    };
  }

  /**
   * Writes dead letters to ClickHouse again (the oldest `limit`, or the given ids): those accepted
   * are deleted, the others keep their place with the new error. ClickHouse down: nothing changes
   * and the error is thrown.
   */
  async retry(client: ClickHouseClient, options: { ids?: number[]; limit?: number } = {}): Promise<RetryResult> {
    const rows = await this.db
      .select({ id: gatewayDeadLetters.id, table: gatewayDeadLetters.tableName, row: gatewayDeadLetters.row })
      .from(gatewayDeadLetters)
      .where(options.ids ? inArray(gatewayDeadLetters.id, options.ids) : undefined)
      .orderBy(asc(gatewayDeadLetters.id))
      .limit(options.limit ?? 1000);
    const result: RetryResult = { retried: rows.length, written: 0, still_refused: 0 };
    const now = Date.now();
    for (const table of LOG_TABLES) {
      const mine = rows.filter((r) => r.table === table);
      if (mine.length === 0) continue;
      const byEntry = new Map<LogEntry, number>();
      const entries = mine.map((r) => {
        const entry: LogEntry = { table: table as LogTable, id: "", json: r.row };
        byEntry.set(entry, r.id);
        return entry;
      });
      let outcome: { written: LogEntry[]; rejected: Rejected[] };
      let outage: unknown;
      try {
        outcome = await isolate(client, table, entries);
      } catch (error) {
        if (!(error instanceof LogOutage)) throw error;
        outcome = { written: error.written, rejected: error.rejected };
        outage = error.error;
      }
      const { written, rejected } = outcome;
      const done = written.map((e) => byEntry.get(e)!);
      if (done.length) await this.db.delete(gatewayDeadLetters).where(inArray(gatewayDeadLetters.id, done));
      for (const { entry, error } of rejected) {
        await this.db
          .update(gatewayDeadLetters)
          .set({
            attempts: sql`${gatewayDeadLetters.attempts} + 1`,
            error: clipError(errorText(error)),
            errorCode: clickHouseCode(error)?.type ?? "",
            lastFailedAt: now,
          })
          .where(eq(gatewayDeadLetters.id, byEntry.get(entry)!));
      }
      result.written += done.length;
      result.still_refused += rejected.length;
      if (outage) throw outage;
    }
    return result;
  }

  /** Deletes dead letters for good (rows nobody will fix). */
  async discard(ids: number[]): Promise<number> {
    if (ids.length === 0) return 0;
    const gone = await this.db
      .delete(gatewayDeadLetters)
      .where(inArray(gatewayDeadLetters.id, ids))
      .returning({ id: gatewayDeadLetters.id });
    return gone.length;
  }
}
