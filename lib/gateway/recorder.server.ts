import "server-only";
import type { ClickHouseClient } from "@clickhouse/client";
import type { CacheRow, InferenceRow, ModelCallRow } from "@/lib/inference/tables";
import type { DeadLetters } from "./dead-letters.server";
import {
  clickHouseCode,
  entryId,
  errorText,
  existingIds,
  isolate,
  LOG_TABLES,
  LogOutage,
  type LogEntry,
  type LogTable,
  type Rejected,
} from "./log-insert.server";
import { spoolLine, type Segment, type Spool, type SpoolStats } from "./spool.server";

/**
 * The inference log's batching writer, off the request path. Each inference's rows are appended to
 * the spool (when there is one) before the caller answers, then wait in memory and are written per
 * table when `batchSize` rows are waiting or `flushMs` after the first one. A batch ClickHouse
 * refuses is bisected: good rows are written at once, refused rows go to the dead letters
 * (Postgres) with the error. When ClickHouse is unavailable, rows stay buffered and the write is
 * retried with exponential backoff (up to 30 s apart). Memory and spool are bounded: beyond
 * `maxBufferedRows` rows or `maxBufferedBytes` (all tables together) the oldest rows of the table
 * being added to are dropped and counted. `close()` flushes what is left; what it cannot write
 * stays in the spool for the next start.
 */
export interface RecorderOptions {
  /** False: rows are discarded (recording off). */
  enabled?: boolean;
  batchSize: number;
  flushMs: number;
  maxBufferedRows: number;
  /** Bound on the size of buffered rows' JSON, in characters (and so on the spool's size). */
  maxBufferedBytes?: number;
  /** Longest wait between retries while ClickHouse is failing. */
  maxRetryDelayMs?: number;
  spool?: Spool;
  deadLetters?: DeadLetters;
  log?: (message: string) => void;
}

export interface RecorderTables {
  inferences: InferenceRow;
  model_calls: ModelCallRow;
  inference_cache: CacheRow;
}
export type RecorderTable = keyof RecorderTables;

export interface RecorderStats {
  /** Rows waiting for a flush (bounded by max_buffered_rows). */
  buffered: number;
  /** Rows in an insert under way: written, or back in the buffer, when it ends. */
  sending: number;
  written: number;
  dropped: number;
  /** Rows ClickHouse refused on their own, set aside in the dead letters by this process. */
  rejected: number;
  /** Refused rows waiting for Postgres to take them. */
  rejectedPending: number;
  /** Rows replayed from spool files at start-up, and those found already written. */
  replayed: number;
  replayedDuplicates: number;
  failedFlushes: number;
  lastError: string | null;
  lastRejection: string | null;
  spool: SpoolStats | null;
}

interface Entry extends LogEntry {
  bytes: number;
  segment?: Segment;
  /** Its insert may have landed (no answer) or it comes from a spool: check before writing it again. */
  verify?: boolean;
}

export class Recorder {
  private buffers: Record<LogTable, Entry[]> = { inferences: [], model_calls: [], inference_cache: [] };
  private count = 0;
  private sending = 0;
  private bytes = 0;
  private deadPending: Rejected[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private failures = 0;
  private closed = false;
  private readonly counters = {
    written: 0,
    dropped: 0,
    rejected: 0,
    replayed: 0,
    replayedDuplicates: 0,
    failedFlushes: 0,
    lastError: null as string | null,
    lastRejection: null as string | null,
  };

  constructor(
    private readonly client: ClickHouseClient,
    private readonly options: RecorderOptions,
  ) {
    const replay = options.spool?.adopt();
    if (replay && replay.entries.length > 0) {
      for (const e of replay.entries) this.push({ ...e, bytes: e.json.length, verify: true });
      this.counters.replayed += replay.entries.length;
      options.log?.(`recorder: replaying ${replay.entries.length} rows from ${replay.files} spool files of a previous run`);
      this.schedule(0);
    }
  }

  record<T extends RecorderTable>(table: T, rows: RecorderTables[T][]): void {
    this.recordAll({ [table]: rows });
  }

  /** One inference's rows of every table: one spool write, so it is all there or not at all. */
  recordAll(rows: { [T in RecorderTable]?: RecorderTables[T][] }): void {
    if (this.options.enabled === false) return;
    const entries: Entry[] = [];
    let lines = "";
    for (const table of LOG_TABLES) {
      for (const row of rows[table] ?? []) {
        const json = JSON.stringify(row);
        const entry: Entry = { table, id: entryId(table, row as { id?: string; inference_id?: string }), json, bytes: json.length };
        entries.push(entry);
        if (this.options.spool) lines += spoolLine(entry);
      }
    }
    if (entries.length === 0) return;
    const segment = lines ? this.options.spool!.append(lines) : undefined;
    if (segment) segment.pending += entries.length;
    for (const entry of entries) {
      entry.segment = segment;
      this.push(entry);
    }
    // While ClickHouse is failing, the retry timer owns the next write: scheduling one per arriving
    // row would retry every flush_ms under traffic, defeating the backoff.
    if (this.closed || this.failures > 0) return;
    if (this.count >= this.options.batchSize) this.schedule(0);
    else this.schedule(this.options.flushMs);
  }

  /** Dead letters: counts and latest errors for the status page; retried after a fix. */
  deadLetterSummary() {
    return this.options.deadLetters?.summary() ?? Promise.resolve(null);
  }

  retryDeadLetters(options: { ids?: number[]; limit?: number } = {}) {
    if (!this.options.deadLetters) return Promise.resolve({ retried: 0, written: 0, still_refused: 0 });
    return this.options.deadLetters.retry(this.client, options);
  }

  /** False when recording is off: callers may skip building rows. */
  get enabled(): boolean {
    return this.options.enabled !== false;
  }

  stats(): RecorderStats {
    return {
      buffered: this.count,
      sending: this.sending,
      ...this.counters,
      rejectedPending: this.deadPending.length,
      spool: this.options.spool?.stats() ?? null,
    };
  }

  /**
   * Writes everything buffered now, waiting for a flush under way first: that one took only the
   * rows buffered when it began. Throws if ClickHouse is unavailable (the rows stay buffered).
   */
  flush(): Promise<void> {
    const running = this.flushing;
    if (!running) return this.startFlush();
    if (this.count === 0 && this.deadPending.length === 0) return running;
    // A flush begun after the one under way takes every row buffered now, so joining it is enough.
    return running.then(() => this.flushing ?? this.startFlush());
  }

  private startFlush(): Promise<void> {
    const flushing = this.writeAll().finally(() => {
      if (this.flushing === flushing) this.flushing = undefined;
    });
    this.flushing = flushing;
    return flushing;
  }

  /**
   * Stops the timer and flushes, retrying for up to `deadlineMs`. Rows it could not write stay in
   * the spool (replayed at the next start); without a spool they are reported lost.
   */
  async close(deadlineMs = 15_000): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    const until = Date.now() + deadlineMs;
    for (let attempt = 0; ; attempt++) {
      try {
        await this.flush();
        if (this.count === 0 && this.deadPending.length === 0) break;
      } catch {
        // retried below until the deadline
      }
      if (Date.now() >= until) break;
      await new Promise((r) => setTimeout(r, Math.min(1000, 50 * 2 ** attempt)));
    }
    // The spool is closed last: rows still unsettled stay in it for the next start.
    this.options.spool?.close();
    const left = this.count + this.deadPending.length;
    if (left > 0)
      this.options.log?.(
        this.options.spool
          ? `recorder: ${left} rows not written before shutdown stay in the spool for the next start (${this.counters.lastError ?? "unknown error"})`
          : `recorder: ${left} rows could not be written before shutdown (${this.counters.lastError ?? "unknown error"})`,
      );
  }

  private push(entry: Entry): void {
    const buffer = this.buffers[entry.table];
    buffer.push(entry);
    this.count += 1;
    this.bytes += entry.bytes;
    const maxBytes = this.options.maxBufferedBytes ?? Infinity;
    if (this.count <= this.options.maxBufferedRows && this.bytes <= maxBytes) return;
    let dropped = 0;
    while ((this.count > this.options.maxBufferedRows || this.bytes > maxBytes) && buffer.length > 1) {
      const old = buffer.shift()!;
      this.count -= 1;
      this.bytes -= old.bytes;
      old.segment?.release();
      dropped += 1;
    }
    if (dropped === 0) return;
    this.counters.dropped += dropped;
    this.options.log?.(
      `recorder: buffer full (${this.options.maxBufferedRows} rows / ${maxBytes} bytes), dropped ${dropped} ${entry.table} rows`,
    );
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

  private settle(entries: Entry[]): void {
    for (const e of entries) e.segment?.release();
  }

  /** Hands refused rows to the dead letters; kept (and their spool rows with them) while Postgres refuses. */
  private async deadLetter(rejected: Rejected[]): Promise<void> {
    if (rejected.length === 0) return;
    const last = rejected[rejected.length - 1]!;
    this.counters.lastRejection = `${last.entry.table}: ${errorText(last.error)}`.slice(0, 500);
    if (!this.options.deadLetters) {
      // No dead-letter store (bare recorders in tests): refused rows are counted as dropped.
      this.counters.dropped += rejected.length;
      this.settle(rejected.map((r) => r.entry as Entry));
      this.options.log?.(`recorder: ClickHouse refused ${rejected.length} rows, dropped (${this.counters.lastRejection})`);
      return;
    }
    try {
      await this.options.deadLetters.save(rejected);
      this.counters.rejected += rejected.length;
      this.settle(rejected.map((r) => r.entry as Entry));
      this.options.log?.(`recorder: ClickHouse refused ${rejected.length} rows, kept as dead letters (${this.counters.lastRejection})`);
    } catch (error) {
      this.deadPending.push(...rejected);
      this.options.log?.(`recorder: cannot keep ${rejected.length} refused rows as dead letters yet (${errorText(error)})`);
    }
  }

  private async writeAll(): Promise<void> {
    if (this.deadPending.length > 0) await this.deadLetter(this.deadPending.splice(0));
    this.options.spool?.rotate();
    // Only the rows buffered when the flush starts: rows that arrive during an insert wait for the
    // next flush. Chasing them instead would turn one insert per table into a stream of tiny ones
    // under steady traffic (each a new part in the table and in every materialized view on it).
    const due = Object.fromEntries(LOG_TABLES.map((t) => [t, this.buffers[t].length])) as Record<LogTable, number>;
    for (const table of LOG_TABLES) {
      const buffer = this.buffers[table];
      while (due[table] > 0 && buffer.length > 0) {
        // Taken out while in flight, so drops during the write can only hit rows not yet sent.
        const batch = buffer.splice(0, Math.min(due[table], Math.max(this.options.batchSize, 10_000)));
        due[table] -= batch.length;
        for (const e of batch) {
          this.count -= 1;
          this.bytes -= e.bytes;
        }
        this.sending += batch.length;
        try {
          await this.writeBatch(table, batch);
        } finally {
          this.sending -= batch.length;
        }
      }
    }
  }

  private async writeBatch(table: LogTable, batch: Entry[]): Promise<void> {
    let toWrite = batch;
    try {
      const unsure = batch.filter((e) => e.verify && e.id);
      if (unsure.length > 0) {
        const present = await existingIds(this.client, table, unsure);
        if (present.size > 0) {
          const already = batch.filter((e) => e.verify && present.has(e.id));
          this.settle(already);
          this.counters.replayedDuplicates += already.length;
          toWrite = batch.filter((e) => !(e.verify && present.has(e.id)));
        }
      }
      const { written, rejected } = await isolate(this.client, table, toWrite);
      this.settle(written as Entry[]);
      this.counters.written += written.length;
      this.failures = 0;
      await this.deadLetter(rejected);
    } catch (error) {
      const outage = error instanceof LogOutage ? error : new LogOutage(error, [], []);
      const settled = new Set<LogEntry>([...outage.written, ...outage.rejected.map((r) => r.entry)]);
      this.settle(outage.written as Entry[]);
      this.counters.written += outage.written.length;
      await this.deadLetter(outage.rejected);
      const left = toWrite.filter((e) => !settled.has(e));
      // No answer at all: the insert may have landed, so look before writing these again.
      const unknown = !clickHouseCode(outage.error);
      for (const e of left) {
        if (unknown) e.verify = true;
        this.count += 1;
        this.bytes += e.bytes;
      }
      this.buffers[table].unshift(...left);
      this.failures += 1;
      this.counters.failedFlushes += 1;
      this.counters.lastError = outage.message;
      if (this.failures === 1 || this.failures % 10 === 0) {
        this.options.log?.(`recorder: writing ${table} failed (${this.counters.lastError}); ${this.count} rows kept, retrying`);
      }
      if (!this.closed) this.retryLater();
      throw outage.error;
    }
  }
}
