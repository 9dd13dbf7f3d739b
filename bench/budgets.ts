/**
 * `npm run bench:budgets`: what budgets cost the gateway process per request, in-process and
 * without HTTP (so other load on the machine blurs it less than bench:gateway's `--budget`).
 * Drives `Budgets.admit` and the charge after it at BENCH_RATE requests/s (default 2000) for
 * BENCH_REQUESTS requests (default 10000), on the limit bench:gateway uses (rpm, tpm and cost per day
 * on one function, never reached), and prints the process CPU per request (the same loop without
 * budgets subtracted), how long admit kept a request waiting (p50/p99), and the statements sent.
 * BENCH_BUDGET=postgres (default; a database of its own on TEST_DATABASE_URL), pglite or redis.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createBudgets, type Budgets } from "@/lib/budgets/budgets.server";
import { budgetsSchema } from "@/lib/budgets/config";
import { openPostgres } from "@/db/client.server";
import { createTestDatabase } from "@/db/test/postgres";

const STORE = process.env.BENCH_BUDGET ?? "postgres";
const RATE = Number(process.env.BENCH_RATE ?? 2000);
const N = Number(process.env.BENCH_REQUESTS ?? 10_000);
const config = budgetsSchema.parse({
  store: STORE === "redis" ? "redis" : "postgres",
  limits: { bench: { function: "bench", requests_per_minute: 1e9, tokens_per_minute: 1e9, cost_per_day: 1e9 } },
});
const subject = { functionName: "bench", modelName: "bench" };

type Admit = () => Promise<((s: { tokens: number; cost: number }) => void) | undefined>;

/** N requests at RATE per second, in 5 ms ticks; returns CPU µs per request and admit's waits (ms). */
async function drive(admit: Admit, n: number) {
  const waits: number[] = [];
  const cpu0 = process.cpuUsage();
  let sent = 0;
  const inflight: Promise<void>[] = [];
  const one = async () => {
    const t = performance.now();
    const charge = await admit();
    waits.push(performance.now() - t);
    // The answer comes later; its charge is not awaited by the request (as in the gateway).
    setImmediate(() => charge?.({ tokens: 30, cost: 0.00004 }));
  };
  const start = performance.now();
  while (sent < n) {
    const due = Math.min(n, Math.floor(((performance.now() - start) / 1000) * RATE));
    while (sent < due) {
      inflight.push(one());
      sent++;
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  await Promise.all(inflight);
  // Let the charges' statements land (they are counted in the CPU).
  await new Promise((r) => setTimeout(r, 300));
  const used = process.cpuUsage(cpu0);
  waits.sort((a, b) => a - b);
  return { cpu: (used.user + used.system) / n, p50: waits[Math.floor(n / 2)]!, p99: waits[Math.floor(n * 0.99)]! };
}

async function main() {
  // Postgres: a database of its own on TEST_DATABASE_URL, dropped at the end.
  const database = STORE === "postgres" ? await createTestDatabase() : undefined;
  const dataDir = mkdtempSync(path.join(tmpdir(), "llmops-bench-budgets-"));
  const store = await openPostgres({ url: database?.url, dataDir, connectTimeoutMs: 10_000 });
  const budgets: Budgets = createBudgets(
    config,
    store.db,
    STORE === "redis" ? (process.env.LLMOPS_REDIS_URL ?? "redis://127.0.0.1:6379") : undefined,
  )!;
  try {
    const none: Admit = async () => undefined;
    const withBudget: Admit = () => budgets.admit(subject);
    // Warm-up (JIT, connections, prepared statements), then the loop alone, then with budgets.
    await drive(none, 2_000);
    await drive(withBudget, 2_000);
    const base = await drive(none, N);
    const before = budgets.ledger.stats.statements;
    const run = await drive(withBudget, N);
    const statements = `${((budgets.ledger.stats.statements - before) / N).toFixed(4)} statements per request`;
    console.log(
      `budgets (${STORE}) at ${RATE} req/s, ${N} requests: CPU ${(run.cpu - base.cpu).toFixed(1)} µs per request ` +
        `(loop alone ${base.cpu.toFixed(1)}), admit waits p50 ${run.p50.toFixed(3)} ms, p99 ${run.p99.toFixed(3)} ms; ${statements}`,
    );
  } finally {
    await budgets.close();
    await store.close();
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
