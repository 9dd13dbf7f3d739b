import type { Counter, CounterValue, Period } from "./limits";

/** Where counters live: shared by every app instance (Postgres by default, Redis when configured). */
export interface CounterStore {
  readonly kind: "postgres" | "redis";
  /** Adds one request to each counter (created at zero) and returns each one's values after; one round trip. */
  hit(counters: Counter[]): Promise<CounterValue[]>;
  /** Adds tokens and cost to each counter and returns each one's values after; one round trip. */
  charge(counters: Counter[], tokens: number, cost: number): Promise<CounterValue[]>;
  /** Every counter of these windows (the current minute, day and month), for the Cost page. */
  current(
    windows: { period: Period; windowStart: number }[],
  ): Promise<(Pick<Counter, "limit" | "subject" | "period" | "windowStart"> & CounterValue)[]>;
  close(): Promise<void>;
}
