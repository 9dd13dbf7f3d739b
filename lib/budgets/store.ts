import type { Counter, CounterValue, Period } from "./limits";

/** What one statement does to one counter: take a lease of requests, add charges. */
export interface CounterOp {
  counter: Counter;
  /** Requests wanted (a lease); 0 for a charge or a read. */
  requests: number;
  /** `requests_per_minute` of the counter's limit: the store grants only what is left under it (partial grants). */
  cap: number | null;
  /** Alert mode: past the cap the lease is granted anyway (the statement that crosses it alerts). */
  alert: boolean;
  tokens: number;
  cost: number;
}

/** A counter after the statement, and the requests granted to it (≤ what was wanted). */
export interface CounterResult extends CounterValue {
  granted: number;
}

/** Where counters live: shared by every app instance (Postgres by default, Redis when configured). */
export interface CounterStore {
  readonly kind: "postgres" | "redis";
  /**
   * One atomic round trip for all ops: per counter (created at zero), grants
   * `cap === null ? want : requests < cap ? min(want, cap - requests) : alert ? want : 0` requests,
   * adds them, the tokens and the cost, and returns each counter's values after, in the ops' order.
   */
  add(ops: CounterOp[]): Promise<CounterResult[]>;
  /** Every counter of these windows (the current minute, day and month), for the Cost page. */
  current(
    windows: { period: Period; windowStart: number }[],
  ): Promise<(Pick<Counter, "limit" | "subject" | "period" | "windowStart"> & CounterValue)[]>;
  close(): Promise<void>;
}
