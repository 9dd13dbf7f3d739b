import "server-only";
import type { Db } from "@/db/client.server";
import type { GatewayConfig } from "@/lib/gateway/config";
import type { InferenceRow } from "@/lib/inference/tables";
import { backlogByFunction, enqueue, type NewJob } from "./jobs.server";
import { effectiveRate, minuteOf, sampleKey } from "./sampling";

/** Tags of traffic that is not production: evaluation runs and judge calls are never sampled. */
export const NOT_PRODUCTION_TAGS = ["llmops.evaluation_run", "llmops.evaluator"];

interface Candidate extends NewJob {
  key: number;
}

/**
 * Off the request path: `offer` (called as the gateway records an inference) costs a hash and a
 * push; every `flushMs` the waiting candidates go to Postgres in one transaction, after reading
 * the backlog there, so the rate in force follows the judges' progress across every app server.
 * Candidates lost with a crashed process are a sample lost, nothing more.
 */
export class RuntimeSampler {
  private candidates = new Map<string, Candidate[]>();
  private seen = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private closed = false;

  constructor(
    private readonly db: Db,
    private readonly config: GatewayConfig,
    private readonly options: { flushMs?: number; delayMs?: number; log?: (message: string) => void } = {},
  ) {}

  /** Functions with runtime evaluation: nothing to do for the others. */
  get active(): boolean {
    return Object.values(this.config.functions).some((f) => f.runtime_evaluation && f.runtime_evaluation.sample_rate > 0);
  }

  offer(row: InferenceRow): void {
    const runtime = this.config.functions[row.function_name]?.runtime_evaluation;
    if (!runtime || this.closed || row.status !== "ok") return;
    for (const tag of NOT_PRODUCTION_TAGS) if (tag in row.tags) return;
    this.seen.set(row.function_name, (this.seen.get(row.function_name) ?? 0) + 1);
    const key = sampleKey(row.id);
    if (key < runtime.sample_rate) {
      const list = this.candidates.get(row.function_name) ?? [];
      list.push({
        functionName: row.function_name,
        inferenceId: row.id,
        inferenceAt: Date.parse(`${row.timestamp.replace(" ", "T")}Z`),
        key,
      });
      this.candidates.set(row.function_name, list);
    }
    this.timer ??= setTimeout(() => void this.flush().catch(() => undefined), this.options.flushMs ?? 500);
    this.timer.unref?.();
  }

  /** Writes the waiting candidates (and the minute's counters); a flush in progress is joined. */
  flush(): Promise<void> {
    this.flushing ??= this.write().finally(() => {
      this.flushing = undefined;
    });
    return this.flushing;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    // A flush in progress took only what was waiting when it began: wait for it, then write the rest.
    await this.flushing?.catch(() => undefined);
    await this.flush().catch(() => undefined);
  }

  private async write(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const candidates = this.candidates;
    const seen = this.seen;
    this.candidates = new Map();
    this.seen = new Map();
    if (!seen.size) return;
    const now = Date.now();
    try {
      const backlog = await backlogByFunction(this.db, [...seen.keys()]);
      const jobs: NewJob[] = [];
      const windows = [...seen].map(([fn, count]) => {
        const runtime = this.config.functions[fn]!.runtime_evaluation!;
        const waiting = backlog.get(fn) ?? 0;
        const rate = effectiveRate(runtime.sample_rate, waiting, runtime.max_backlog);
        const wanted = (candidates.get(fn) ?? []).filter((c) => c.key < rate);
        const kept = wanted.slice(0, Math.max(0, runtime.max_backlog - waiting));
        jobs.push(...kept.map(({ key: _k, ...job }) => job));
        const shed = (candidates.get(fn)?.length ?? 0) - kept.length;
        if (shed > 0)
          this.options.log?.(
            `runtime evaluation: ${fn} has ${waiting} jobs waiting (max_backlog ${runtime.max_backlog}); sampling at ${((wanted.length ? (rate * kept.length) / wanted.length : rate) * 100).toFixed(1)}% instead of ${(runtime.sample_rate * 100).toFixed(1)}%, ${shed} skipped`,
          );
        // The backlog's room may cut further than the rate: what was applied is the share kept.
        const applied = wanted.length ? (rate * kept.length) / wanted.length : rate;
        return { functionName: fn, bucket: minuteOf(now), seen: count, sampled: kept.length, shed, rate: applied };
      });
      await enqueue(this.db, { jobs, windows }, now, this.options.delayMs ?? 0);
    } catch (error) {
      this.options.log?.(`runtime evaluation: could not queue samples (${error instanceof Error ? error.message : String(error)})`);
    }
  }
}
