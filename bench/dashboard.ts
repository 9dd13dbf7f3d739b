/**
 * `npm run bench:dashboard`: the product managers' dashboard on 10 million inferences in chDB.
 *
 *   1. Seeds BENCH_INFERENCES (default 10,000,000) inferences over 30 days, generated inside
 *      ClickHouse (INSERT … SELECT FROM numbers()) through the real tables, so the materialized
 *      views fill the rollups as live traffic would; about 30% of them get boolean feedback. Then
 *      waits for the background merges that bulk insert leaves behind (a server taking traffic
 *      has no such backlog), without forcing any.
 *   2. In process, times the dashboard's query functions (lib/analytics/variant-stats.server.ts, metric-stats.server.ts): the
 *      variant summary with the time series over 7 days (one query), the feedback metrics, and the
 *      A/B report over 7 and 30 days, next to the same answers computed from the raw log.
 *   3. Starts the built app (`next start`, so run `npm run build` first) on that data folder and
 *      times the same pages' API over HTTP: GET /api/functions/<name>?range=7d (summary + 7-day
 *      series + metrics in one reply), GET /api/functions/<name>/ab?range=30d, GET /api/functions
 *      and GET /api/inferences. Goal: each under 300 ms p95.
 *
 * BENCH_RUNS sets the repetitions (default 30), BENCH_PORT the app's port (default 3591).
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { ClickHouseClient } from "@clickhouse/client";
import { openClickHouse } from "@/lib/clickhouse/client.server";
import { abDailyStats, guardrailTotals } from "@/lib/analytics/ab-queries.server";
import { getAbReport } from "@/lib/analytics/service.server";
import { metricStats } from "@/lib/analytics/metric-stats.server";
import { variantStats } from "@/lib/analytics/variant-stats.server";
import { resolveRange } from "@/lib/analytics/range";
import { seedTraffic } from "./dashboard-seed";
import { benchAuthEnv, benchHeaders } from "./auth-env";

const INFERENCES = Number(process.env.BENCH_INFERENCES ?? 10_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const PORT = Number(process.env.BENCH_PORT ?? 3591);
const GOAL_MS = 300;
const DAY = 86_400_000;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

async function time(label: string, fn: () => Promise<unknown>, goal = true): Promise<number> {
  await fn(); // warm-up: first-touch of marks and caches
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    await fn();
    samples.push(performance.now() - start);
  }
  const sorted = samples.sort((a, b) => a - b);
  const p95 = percentile(sorted, 95);
  const verdict = goal
    ? p95 < GOAL_MS
      ? `  ok (${(GOAL_MS / p95).toFixed(1)}× under the ${GOAL_MS} ms goal)`
      : `  OVER the ${GOAL_MS} ms goal`
    : "";
  console.log(
    `${label.padEnd(64)} p50 ${percentile(sorted, 50).toFixed(1).padStart(7)} ms   p95 ${p95.toFixed(1).padStart(7)} ms${verdict}`,
  );
  return p95;
}

/** Resolves once no merge has run for two seconds in a row (at most five minutes). */
async function mergesSettled(client: ClickHouseClient): Promise<void> {
  const until = Date.now() + 300_000;
  let quiet = 0;
  while (quiet < 4 && Date.now() < until) {
    const result = await client.query({ query: "SELECT count() AS n FROM system.merges", format: "JSONEachRow" });
    const [row] = await result.json<{ n: string | number }>();
    quiet = Number(row?.n ?? 0) === 0 ? quiet + 1 : 0;
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function waitForHealth(url: string, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the app did not answer ${url} within ${timeoutMs} ms`);
}

/**
 * Seeding and the in-process timings run in a child process: a chDB engine stays alive in its
 * process after the connection closes (its background pools run until exit), and during the HTTP
 * timings the app's engine must be the only one on the folder and on the machine's two cores.
 */
async function main() {
  const dataDir = await mkdtemp(path.join(tmpdir(), "llmops-bench-dashboard-"));
  try {
    const child = spawn(process.execPath, [...process.execArgv, process.argv[1]!], {
      env: { ...process.env, BENCH_DASHBOARD_IN_PROCESS: dataDir },
      stdio: "inherit",
    });
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    if (code !== 0) throw new Error(`the in-process part exited with ${code}`);
    await overHttp(dataDir);
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** Seeds the folder and times the query functions in this process. */
async function inProcess(dataDir: string) {
  const now = Date.now();
  const store = await openClickHouse({ username: "default", password: "", database: "llmops", dataDir, connectTimeoutMs: 10_000 });
  const client = store.client;
  const started = performance.now();
  await seedTraffic(client, { inferences: INFERENCES, days: 30, now });
  const seedMs = performance.now() - started;
  const counts = await (
    await client.query({
      query: `SELECT (SELECT count() FROM inferences) AS inferences, (SELECT count() FROM feedback) AS feedback,
      (SELECT count() FROM inference_rollup_1m) AS rollup_1m_rows, (SELECT count() FROM inference_rollup_1h) AS rollup_1h_rows`,
      format: "JSONEachRow",
    })
  ).json<Record<string, string>>();
  console.log(`seeded in ${(seedMs / 1000).toFixed(1)} s:`, counts[0]);
  // Ten million rows inserted at once leave the engine merging parts for a while; a server that
  // has been taking traffic has no such backlog. Timed once it has gone (its own merges, no OPTIMIZE).
  const settled = performance.now();
  await mergesSettled(client);
  console.log(`background merges after seeding finished in ${((performance.now() - settled) / 1000).toFixed(1)} s`);

  const week = resolveRange(now - 7 * DAY, now);
  const month = resolveRange(now - 30 * DAY, now);
  const scope = { functionName: "summarize", range: week };
  console.log(`\nIn process, lib/analytics variant and metric stats (${RUNS} runs each):`);
  const week7 = await time("variant summary + 7-day series, hourly buckets (one query)", () => variantStats(client, scope));
  await time("variant summary + 24-hour series, 5-minute buckets", () =>
    variantStats(client, { ...scope, range: resolveRange(now - DAY, now) }),
  );
  await time("feedback metrics, 7 days (summary + series)", () => metricStats(client, scope));
  // The A/B page's whole report, as GET …/ab builds it: statistics per day (grouped by episode:
  // the seeded episodes hold three inferences), traffic split, scorecard and guardrails.
  const ab = (range: typeof month) => () => getAbReport(client, { name: "summarize", range }, async () => []);
  await time("A/B report, 7 days (the page's default), daily looks", ab(week));
  await time("A/B report, 30 days, daily looks", ab(month));
  await time("  of which the daily statistics, 30 days", () =>
    abDailyStats(client, { functionName: "summarize", metric: "helpful", level: "inference", from: month.from, to: month.to }),
  );
  await time("  of which the guardrails (cost, latency, errors), 30 days, hourly rollup", () =>
    guardrailTotals(client, "summarize", month.from, month.to),
  );
  console.log("Baselines on the raw log (no rollup):");
  const raw7 = await time(
    "the same 7-day summary + series from the raw log (tag-filter path)",
    () => variantStats(client, { ...scope, tags: [{ key: "env", value: "prod" }] }),
    false,
  );
  await time(
    "plain GROUP BY variant with quantilesTDigest over all rows",
    async () => {
      const rs = await client.query({
        query:
          "SELECT function_name, variant_name, count(), quantilesTDigest(0.5, 0.95, 0.99)(latency_ms) FROM inferences GROUP BY function_name, variant_name",
        format: "JSONEachRow",
      });
      return rs.json();
    },
    false,
  );
  console.log(`ratio: raw / rollup for the 7-day summary + series = ${(raw7 / week7).toFixed(1)}× (p95)`);
  await store.close();
}

/** Starts the built app on the seeded folder and times the same pages' API over HTTP. */
async function overHttp(dataDir: string) {
  const nextBin = path.join(process.cwd(), "node_modules", ".bin", "next");
  if (!existsSync(path.join(process.cwd(), ".next", "BUILD_ID"))) {
    console.log("\nNo build in .next: run `npm run build` to time the HTTP API too.");
    return;
  }
  console.log(`\nThrough the app's HTTP API (next start on the seeded folder, port ${PORT}; ${RUNS} runs each):`);
  const busy = await fetch(`http://127.0.0.1:${PORT}/api/health`).then(
    () => true,
    () => false,
  );
  if (busy) throw new Error(`port ${PORT} is already in use: stop that server or set BENCH_PORT`);
  const app = spawn(nextBin, ["start", "-p", String(PORT)], {
    env: { ...process.env, ...benchAuthEnv, PORT: String(PORT), LLMOPS_DATA_DIR: dataDir, LLMOPS_DEMO: "off", NODE_ENV: "production" },
    stdio: ["ignore", "ignore", "inherit"],
    detached: true,
  });
  try {
    const base = `http://127.0.0.1:${PORT}`;
    await waitForHealth(`${base}/api/health`, 60_000);
    const get = (url: string) => async () => {
      const res = await fetch(`${base}${url}`, { headers: benchHeaders });
      if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
      return res.json();
    };
    await time("GET /api/functions/summarize?range=7d (summary+series+metrics)", get("/api/functions/summarize?range=7d"));
    await time("GET /api/functions/summarize/ab (A/B, default 7 days)", get("/api/functions/summarize/ab"));
    await time("GET /api/functions/summarize/ab?range=30d (A/B, 30 days)", get("/api/functions/summarize/ab?range=30d"));
    await time("GET /api/functions?range=7d (functions list)", get("/api/functions?range=7d"));
    await time("GET /api/inferences?range=24h (browser, first page)", get("/api/inferences?range=24h"));
    await time(
      "GET /api/functions/summarize?range=7d&tag=env:prod (raw log)",
      get("/api/functions/summarize?range=7d&tag=env:prod"),
      false,
    );
  } finally {
    try {
      if (app.pid) process.kill(-app.pid, "SIGTERM");
    } catch {
      // already gone
    }
    await new Promise((r) => setTimeout(r, 1500));
  }
}

if (process.env.BENCH_DASHBOARD_IN_PROCESS) await inProcess(process.env.BENCH_DASHBOARD_IN_PROCESS);
else await main();
