import { describe, expect, it } from "vitest";
import { runTrials } from "./testing/trials";

/**
 * Nothing acknowledged is lost and nothing crashes: the gateway process (embedded chDB, the spool,
 * the Postgres server) under steady load, stopped by SIGTERM (drain, last flush, orderly chDB
 * close) or killed with SIGKILL (the spool is replayed at the next start), then every inference
 * and feedback answered 200 is looked up in ClickHouse. A few trials here;
 * `npm run trials:shutdown -- --sigterm 20 --kill 5` runs the full set (figures in the README).
 */
describe("SIGTERM and kill -9 under load", () => {
  it("loses no acknowledged inference or feedback, writes none twice, and exits cleanly", async () => {
    const report = await runTrials({ sigterm: 3, kill: 2, log: (message) => console.log(`[trials] ${message}`) });
    expect(report.crashes).toBe(0);
    expect(report.inferences.acknowledged).toBeGreaterThan(50);
    expect(report.feedback.acknowledged).toBeGreaterThan(5);
    expect(report.inferences.lost).toBe(0);
    expect(report.feedback.lost).toBe(0);
    expect(report.inferences.duplicates).toBe(0);
    expect(report.feedback.duplicates).toBe(0);
    // Every SIGTERM trial ended with its requests answered, not cut.
    expect(report.trials.filter((t) => t.kind === "sigterm").every((t) => t.exit === "0")).toBe(true);
  }, 900_000);
});
