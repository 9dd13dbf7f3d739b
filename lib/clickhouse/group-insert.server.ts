import "server-only";
import type { ClickHouseClient } from "@clickhouse/client";

/**
 * Group commit for small synchronous inserts (feedback, labels): callers that arrive while an
 * insert into the same table is in flight are written together by the next one, and each caller's
 * promise settles once its own rows are in ClickHouse. A lone caller pays one insert, as before;
 * ten at once pay about two instead of queueing behind ten (every insert is a new part in the
 * table and in each materialized view on it, so fewer, larger inserts are also what ClickHouse
 * wants). Nothing waits in memory beyond the insert in flight, so there is nothing to lose on a
 * crash that the callers were not still waiting for, and nothing for several app servers to agree on.
 *
 * When a combined insert fails, each caller's rows are retried alone, so one caller's bad rows
 * cannot fail the others and every caller gets its own error.
 */
interface Waiter {
  rows: unknown[];
  resolve: () => void;
  reject: (error: unknown) => void;
}

class TableGroup {
  private waiting: Waiter[] = [];
  private running = false;

  constructor(
    private readonly client: ClickHouseClient,
    private readonly table: string,
    private readonly maxRows: number,
    private readonly columns?: readonly string[],
  ) {}

  insert(rows: unknown[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ rows, resolve, reject });
      if (!this.running) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.waiting.length > 0) {
        const group = this.take();
        try {
          await this.write(group.flatMap((w) => w.rows));
          for (const w of group) w.resolve();
        } catch (error) {
          if (group.length === 1) group[0]!.reject(error);
          else await Promise.all(group.map((w) => this.write(w.rows).then(w.resolve, w.reject)));
        }
      }
    } finally {
      this.running = false;
    }
  }

  /** The waiting callers, oldest first, up to `maxRows` rows (always at least one caller). */
  private take(): Waiter[] {
    let rows = 0;
    let n = 0;
    while (n < this.waiting.length && (n === 0 || rows + this.waiting[n]!.rows.length <= this.maxRows)) {
      rows += this.waiting[n]!.rows.length;
      n += 1;
    }
    return this.waiting.splice(0, n);
  }

  private write(values: unknown[]): Promise<unknown> {
    // Rows as arrays in `columns` order parse about 2.5× faster than JSON objects in ClickHouse.
    if (this.columns)
      return this.client.insert({
        table: this.table,
        values,
        format: "JSONCompactEachRow",
        columns: [...this.columns] as [string, ...string[]],
      });
    return this.client.insert({ table: this.table, values, format: "JSONEachRow" });
  }
}

const groups = new WeakMap<ClickHouseClient, Map<string, TableGroup>>();

/**
 * Inserts `rows` into `table`, sharing the insert with concurrent callers on the same client.
 * With `columns`, rows are arrays of values in that order (one column list per table).
 */
export function groupInsert(client: ClickHouseClient, table: string, rows: object[], maxRows?: number): Promise<void>;
export function groupInsert(
  client: ClickHouseClient,
  table: string,
  rows: unknown[][],
  maxRows: number,
  columns: readonly string[],
): Promise<void>;
export function groupInsert(
  client: ClickHouseClient,
  table: string,
  rows: unknown[],
  maxRows = 10_000,
  columns?: readonly string[],
): Promise<void> {
  if (rows.length === 0) return Promise.resolve();
  let byTable = groups.get(client);
  if (!byTable) groups.set(client, (byTable = new Map()));
  let group = byTable.get(table);
  if (!group) byTable.set(table, (group = new TableGroup(client, table, maxRows, columns)));
  return group.insert(rows);
}
