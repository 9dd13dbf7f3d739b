import "server-only";
import type { ClickHouseClient } from "@clickhouse/client";
import type { InferenceRow } from "@/lib/inference/tables";
import { Recorder, type RecorderOptions, type RecorderTable, type RecorderTables } from "@/lib/gateway/recorder.server";

/** Sees each inference row as the gateway records it (before any masking), off the request path's critical work. */
export interface InferenceTap {
  offer(row: InferenceRow): void;
  close?(): Promise<void>;
}

/** Rewrites rows before they are buffered (PII masking, bodies dropped); returns the rows to keep. */
export interface RowPolicy {
  apply<T extends RecorderTable>(table: T, rows: RecorderTables[T][]): RecorderTables[T][];
}

/**
 * The gateway's recorder with the data policies in front of it: taps (runtime evaluation's
 * sampler) see every inference row, then the row policy (lib/pii) rewrites what is stored. The
 * gateway itself is unchanged: it records through this as through any recorder.
 */
export class PolicyRecorder extends Recorder {
  constructor(
    client: ClickHouseClient,
    options: RecorderOptions,
    private readonly policy: { taps?: InferenceTap[]; rows?: RowPolicy } = {},
  ) {
    super(client, options);
  }

  override record<T extends RecorderTable>(table: T, rows: RecorderTables[T][]): void {
    if (rows.length === 0 || !this.enabled) return;
    if (table === "inferences" && this.policy.taps?.length) {
      for (const row of rows as InferenceRow[]) for (const tap of this.policy.taps) tap.offer(row);
    }
    super.record(table, this.policy.rows ? this.policy.rows.apply(table, rows) : rows);
  }

  override async close(deadlineMs?: number): Promise<void> {
    await Promise.allSettled([super.close(deadlineMs), ...(this.policy.taps ?? []).map((t) => t.close?.())]);
  }
}
