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

  /** Every write goes through here (the base's `record` too), so the spool never holds an unmasked row. */
  override recordAll(rows: { [T in RecorderTable]?: RecorderTables[T][] }): void {
    if (!this.enabled) return;
    if (rows.inferences?.length && this.policy.taps?.length) {
      for (const row of rows.inferences) for (const tap of this.policy.taps) tap.offer(row);
    }
    const policy = this.policy.rows;
    if (!policy) return super.recordAll(rows);
    super.recordAll({
      inferences: rows.inferences && policy.apply("inferences", rows.inferences),
      model_calls: rows.model_calls && policy.apply("model_calls", rows.model_calls),
      inference_cache: rows.inference_cache && policy.apply("inference_cache", rows.inference_cache),
    });
  }

  override async close(deadlineMs?: number): Promise<void> {
    await Promise.allSettled([super.close(deadlineMs), ...(this.policy.taps ?? []).map((t) => t.close?.())]);
  }
}
