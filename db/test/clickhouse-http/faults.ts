import { ServerException } from "./errors";
import type { StatementShape } from "./sql";

export interface FailureOptions {
  /** Which requests fail: only INSERTs (default) or any query. */
  only?: "insert" | "any";
  /** The exception answered; by default a transient server error (TOO_MANY_SIMULTANEOUS_QUERIES, HTTP 500). */
  code?: number;
  type?: string;
  message?: string;
}

export interface FaultStats {
  queries: number;
  inserts: number;
  /** Inserts received and not answered yet (waiting in slow mode, or running). */
  insertsInFlight: number;
  /** Of those, the ones waiting in slow mode. */
  insertsWaiting: number;
  /** Inserts answered (written or failed). */
  insertsDone: number;
  injectedFailures: number;
}

/** Fault injection for tests: fail the next N requests, and slow mode (each INSERT waits N seconds before it runs). */
export class Faults {
  private failures = { remaining: 0, options: {} as FailureOptions };
  private slowMs = 0;
  private readonly sleepers = new Set<() => void>();
  readonly counters: FaultStats = { queries: 0, inserts: 0, insertsInFlight: 0, insertsWaiting: 0, insertsDone: 0, injectedFailures: 0 };

  failNext(n: number, options: FailureOptions = {}): void {
    this.failures = { remaining: n, options };
  }

  /** Each INSERT received from now on waits `seconds` before it runs; 0 also releases those waiting. */
  slowInserts(seconds: number): void {
    this.slowMs = seconds * 1000;
    if (seconds === 0) for (const wake of [...this.sleepers]) wake();
  }

  reset(): void {
    this.failNext(0);
    this.slowInserts(0);
  }

  /** Runs `work` for one statement, after the injected failure or delay that applies to it. */
  async around<T>(shape: StatementShape, work: () => Promise<T>): Promise<T> {
    const c = this.counters;
    if (shape.insert) {
      c.inserts += 1;
      c.insertsInFlight += 1;
    } else c.queries += 1;
    try {
      const { remaining, options } = this.failures;
      if (remaining > 0 && (shape.insert || options.only === "any")) {
        this.failures.remaining -= 1;
        c.injectedFailures += 1;
        throw new ServerException(
          options.code ?? 202,
          options.type ?? "TOO_MANY_SIMULTANEOUS_QUERIES",
          options.message ?? "Too many simultaneous queries. Maximum: 100 (injected by the test fixture)",
        );
      }
      if (shape.insert && this.slowMs > 0) {
        c.insertsWaiting += 1;
        try {
          await this.sleep(this.slowMs);
        } finally {
          c.insertsWaiting -= 1;
        }
      }
      return await work();
    } finally {
      if (shape.insert) {
        c.insertsInFlight -= 1;
        c.insertsDone += 1;
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.sleepers.add(wake);
    });
  }
}
