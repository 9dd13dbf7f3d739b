import "server-only";
import type { ClickHouseClient } from "@clickhouse/client";
import type { CacheRow, InferenceRow, ModelCallRow } from "@/lib/inference/tables";

/**
 * The inference log's batching writer, off the request path. Rows wait in memory and are written
 * per table when `batchSize` rows are waiting or `flushMs` after the first one. When ClickHouse
 * fails, rows stay buffered and the write is retried with exponential backoff (up to 30 s apart),
 * so requests keep succeeding while it is down and the backlog lands when it returns. Memory is
 * bounded: beyond `maxBufferedRows` (all tables together) the oldest rows of the table being added
 * to are dropped and counted in `stats().dropped`. `close()` flushes what is left.
 */
export interface RecorderOptions {
  /** False: rows are discarded (recording off). */
  enabled?: boolean;
  batchSize: number;
  flushMs: number;
  maxBufferedRows: number;
  /** Longest wait between retries while ClickHouse is failing. */
  maxRetryDelayMs?: number;
  log?: (message: string) => void;
}

export interface RecorderTables {
  inferences: InferenceRow;
  model_calls: ModelCallRow;
  inference_cache: CacheRow;
}
export type RecorderTable = keyof RecorderTables;
const TABLES: RecorderTable[] = ["inferences", "model_calls", "inference_cache"];

export interface RecorderStats {
  buffered: number;
  written: number;
  dropped: number;
  failedFlushes: number;
  lastError: string | null;
}

export class Recorder {
  // Rows are plain JSON objects once typed by record(); the writer treats every table alike.
  private buffers: Record<RecorderTable, object[]> = { inferences: [], model_calls: [], inference_cache: [] };
  private count = 0;
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private failures = 0;
  private closed = false;
  private readonly counters = { written: 0, dropped: 0, failedFlushes: 0, lastError: null as string | null };

  constructor(
    private readonly client: ClickHouseClient,
    private readonly options: RecorderOptions,
  ) {}

  record<T extends RecorderTable>(table: T, rows: RecorderTables[T][]): void {
    if (rows.length === 0 || this.options.enabled === false) return;
    const buffer = this.buffers[table];
    buffer.push(...rows);
    this.count += rows.length;
    const excess = this.count - this.options.maxBufferedRows;
    if (excess > 0) {
      const dropped = buffer.splice(0, Math.min(excess, buffer.length)).length;
      this.count -= dropped;
      this.counters.dropped += dropped;
      this.options.log?.(`recorder: buffer full (${this.options.maxBufferedRows} rows), dropped ${dropped} ${table} rows`);
    }
    // While ClickHouse is failing, the retry timer owns the next write: scheduling one per arriving
    // row would retry every flush_ms under traffic, defeating the backoff.
    if (this.closed || this.failures > 0) return;
    if (this.count >= this.options.batchSize) this.schedule(0);
    else this.schedule(this.options.flushMs);
  }

  /** False when recording is off: callers may skip building rows. */
  get enabled(): boolean {
    return this.options.enabled !== false;
  }

  stats(): RecorderStats {
    return { buffered: this.count, ...this.counters };
  }

  /** Writes everything buffered now; throws if ClickHouse refuses (the rows stay buffered). */
  flush(): Promise<void> {
    this.flushing ??= this.writeAll().finally(() => {
      this.flushing = undefined;
    });
    return this.flushing;
  }

  /** Stops the timer and flushes, retrying for up to `deadlineMs`; reports rows it could not write. */
  async close(deadlineMs = 15_000): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    const until = Date.now() + deadlineMs;
    for (let attempt = 0; ; attempt++) {
      try {
        await this.flush();
        if (this.count === 0) return;
      } catch {
        // retried below until the deadline
      }
      if (Date.now() >= until) break;
      await new Promise((r) => setTimeout(r, Math.min(1000, 50 * 2 ** attempt)));
    }
    this.options.log?.(`recorder: ${this.count} rows could not be written before shutdown (${this.counters.lastError ?? "unknown error"})`);
  }

  private schedule(delayMs: number): void {
    if (this.timer) {
      if (delayMs > 0) return;
      clearTimeout(this.timer);
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush().then(
        () => {
          if (this.count > 0 && !this.closed) this.schedule(this.count >= this.options.batchSize ? 0 : this.options.flushMs);
        },
        () => undefined, // writeAll() scheduled the retry
      );
    }, delayMs);
    this.timer.unref?.();
  }

  /** The next attempt after a failed write, whichever flush failed, replacing a pending timer. */
  private retryLater(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.schedule(Math.min(this.options.maxRetryDelayMs ?? 30_000, 100 * 2 ** Math.min(this.failures, 10)));
  }

  private async writeAll(): Promise<void> {
    // Only the rows buffered when the flush starts: rows that arrive during an insert wait for the
    // next flush. Chasing them instead would turn one insert per table into a stream of tiny ones
    // under steady traffic (each a new part in the table and in every materialized view on it).
    const due = Object.fromEntries(TABLES.map((t) => [t, this.buffers[t].length])) as Record<RecorderTable, number>;
    for (const table of TABLES) {
      const buffer = this.buffers[table];
      while (due[table] > 0 && buffer.length > 0) {
        // Taken out while in flight, so drops during the write can only hit rows not yet sent.
        const batch = buffer.splice(0, Math.min(due[table], Math.max(this.options.batchSize, 10_000)));
        due[table] -= batch.length;
        try {
          await this.client.insert({ table, values: batch, format: "JSONEachRow" });
        } catch (error) {
          buffer.unshift(...batch);
          this.failures += 1;
          this.counters.failedFlushes += 1;
          this.counters.lastError = error instanceof Error ? error.message : String(error);
          if (this.failures === 1 || this.failures % 10 === 0) {
            this.options.log?.(`recorder: writing ${table} failed (${this.counters.lastError}); ${this.count} rows kept, retrying`);
          }
          if (!this.closed) this.retryLater();
          throw error;
        }
        this.count -= batch.length;
        this.counters.written += batch.length;
        this.failures = 0;
      }
    }
  }
}
