/**
 * `npm run bench:runs-ui`: the engineers' dashboard with 100,000 runs, measured in Chromium.
 *
 *   1. Seeds one experiment with BENCH_RUNS runs (default 100,000), each with 10 metrics of
 *      BENCH_STEPS steps (default 1,000): 1 billion history points in ClickHouse, latest values,
 *      params and tags in Postgres — the app's own tables, filled by bulk SQL (the API would take
 *      hours; the pages only read what it wrote). Embedded stores (PGlite + chDB) in a temporary
 *      folder by default, the laptop case; BENCH_DATABASE_URL uses a Postgres server instead.
 *   2. Starts the built app on that folder (BENCH_PORT, default 3620) and opens, in Chromium:
 *      the runs table (newest first, sorted on a metric, filtered), and a 10-run comparison.
 *      Each page is loaded BENCH_LOADS times (default 7); the first (cold) load is reported apart.
 *   BENCH_ONLY=compare (or table) measures one of the two pages alone.
 *   BENCH_DATA_DIR keeps the seeded stores in that folder and reuses them on the next run (seeding
 *   the full size takes about 45 minutes on 2 cores), so the pages can be measured again.
 *
 * Figures: time from navigation to the first table row, to the 10 lines of the comparison's first
 * chart, and to all four charts' 10 lines each, median and worst of the warm loads, against the goal of 1 s.
 */
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium, type Page } from "@playwright/test";
import { eq, sql } from "drizzle-orm";
import { experiments } from "@/db/schema";
import { createTestDatabase } from "@/db/test/postgres";
import { parseEnv } from "@/lib/env.server";
import { openStores, type Stores } from "@/lib/stores/index.server";
import { benchAuthEnv, benchHeaders } from "./auth-env";

const RUNS = Number(process.env.BENCH_RUNS ?? 100_000);
const STEPS = Number(process.env.BENCH_STEPS ?? 1_000);
const METRICS = 10;
const LOADS = Number(process.env.BENCH_LOADS ?? 7);
const PORT = Number(process.env.BENCH_PORT ?? 3620);
const GOAL_MS = 1000;
const CHUNK_RUNS = Math.max(1, Math.floor(20_000_000 / (METRICS * STEPS)));

const seconds = (since: number) => `${((performance.now() - since) / 1000).toFixed(1)} s`;

async function seedPostgres(stores: Stores): Promise<number> {
  const db = stores.postgres.db;
  const [created] = await db
    .insert(experiments)
    .values({ name: "bench-runs-ui", creationTime: 1_700_000_000_000, lastUpdateTime: 1_700_000_000_000 })
    .returning({ id: experiments.experimentId });
  if (!created) throw new Error("experiment not created");
  const id = created.id;
  await db.execute(sql`insert into runs (run_id, experiment_id, name, user_id, status, start_time, end_time, artifact_uri, lifecycle_stage)
    select md5('bench' || i), ${id}, 'run-' || i, 'bench', case when i % 10 = 0 then 'FAILED' else 'FINISHED' end,
           1700000000000 + i * 1000, 1700000000000 + i * 1000 + ${STEPS} * 1000, 'mlflow-artifacts:/bench/' || md5('bench' || i), 'active'
    from generate_series(1, ${RUNS}) as i`);
  await db.execute(sql`insert into latest_metrics (run_id, experiment_id, key, value, timestamp, step)
    select md5('bench' || i), ${id}, 'm' || k, sin(i * 0.001 + k) + k, 1700000000000 + i * 1000 + (${STEPS} - 1) * 1000, ${STEPS} - 1
    from generate_series(1, ${RUNS}) as i cross join generate_series(0, ${METRICS - 1}) as k`);
  await db.execute(sql`insert into run_params (run_id, key, value)
    select md5('bench' || i), p.key, case when p.key = 'model' then (array['lr', 'rf', 'xgb', 'mlp'])[1 + i % 4] else ((i % 50) * 0.0001)::text end
    from generate_series(1, ${RUNS}) as i cross join (values ('model'), ('lr')) as p(key)`);
  await db.execute(
    sql`insert into run_tags (run_id, key, value) select md5('bench' || i), 'mlflow.runName', 'run-' || i from generate_series(1, ${RUNS}) as i`,
  );
  await db.execute(sql`analyze`);
  return id;
}

/** The history in chunks of about 20 M points, generated inside ClickHouse. */
async function seedClickHouse(stores: Stores): Promise<void> {
  const client = stores.clickhouse.client;
  for (let first = 1; first <= RUNS; first += CHUNK_RUNS) {
    const count = Math.min(CHUNK_RUNS, RUNS - first + 1);
    const started = performance.now();
    await client.command({
      query: `INSERT INTO metric_history (run_id, key, value, timestamp, step)
              SELECT lower(hex(MD5(concat('bench', toString(r))))) AS run_id, concat('m', toString(k)) AS key,
                     sin(r * 0.001 + k) + k + exp(-s / 200) + 0.05 * sin(s * 0.37 + r) AS value,
                     1700000000000 + r * 1000 + s * 1000 AS timestamp, s AS step
              FROM (SELECT {first:UInt64} + intDiv(number, {per_run:UInt64}) AS r, intDiv(number % {per_run:UInt64}, {steps:UInt64}) AS k, number % {steps:UInt64} AS s
                    FROM numbers({total:UInt64}))`,
      query_params: { first, per_run: METRICS * STEPS, steps: STEPS, total: count * METRICS * STEPS },
    });
    console.log(
      `  history: runs ${first.toLocaleString("en")}–${(first + count - 1).toLocaleString("en")} (${(count * METRICS * STEPS).toLocaleString("en")} points) in ${seconds(started)}`,
    );
  }
}

async function startApp(env: Record<string, string>): Promise<{ stop(): Promise<void> }> {
  const child = spawn(process.execPath, ["scripts/start.mjs"], {
    env: { ...process.env, ...env, ...benchAuthEnv, PORT: String(PORT), LLMOPS_DEMO: "off" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr.on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
  const deadline = Date.now() + 300_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`app exited:\n${output}`);
    try {
      if ((await fetch(`http://127.0.0.1:${PORT}/api/health`)).status === 200) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return {
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}

async function timeTo(page: Page, url: string, ready: (page: Page) => Promise<void>): Promise<number> {
  const started = performance.now();
  await page.goto(url, { waitUntil: "commit" });
  await ready(page);
  return performance.now() - started;
}

/** The metrics the comparison charts by default (the first four all runs share). */
const CHARTED = ["m0", "m1", "m2", "m3"];

/**
 * Until each named chart has drawn its 10 lines: a canvas chart says how many lines its last
 * draw put on the canvas (`data-lines-drawn`, set in uPlot's draw hook, components/charts/history-chart.tsx).
 */
async function linesDrawn(page: Page, metrics: readonly string[]): Promise<void> {
  await page.waitForFunction(
    (names) => names.every((m) => document.querySelector(`figure[aria-label="${m} chart"]`)?.getAttribute("data-lines-drawn") === "10"),
    metrics,
    { polling: "raf", timeout: 60_000 },
  );
}

function report(name: string, samples: number[]) {
  const [cold, ...warm] = samples;
  const sorted = [...warm].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
  const worst = sorted.at(-1) ?? Number.NaN;
  const verdict = median < GOAL_MS ? "meets" : "MISSES";
  console.log(
    `${name.padEnd(58)} median ${median.toFixed(0).padStart(5)} ms  worst ${worst.toFixed(0).padStart(5)} ms  cold ${(cold ?? Number.NaN).toFixed(0).padStart(5)} ms  ` +
      `(${(median / GOAL_MS).toFixed(2)}× the 1 s goal: ${verdict})`,
  );
}

async function main() {
  console.log(
    `runs-ui benchmark: ${RUNS.toLocaleString("en")} runs × ${METRICS} metrics × ${STEPS.toLocaleString("en")} steps = ${(RUNS * METRICS * STEPS).toLocaleString("en")} points`,
  );
  const kept = process.env.BENCH_DATA_DIR ? path.resolve(process.env.BENCH_DATA_DIR) : undefined;
  const dataDir = kept ?? (await mkdtemp(path.join(tmpdir(), "llmops-bench-runs-ui-")));
  // Kept stores are embedded only: a server database made for one run is dropped with it.
  const database = !kept && process.env.BENCH_DATABASE_URL === "test" ? await createTestDatabase() : undefined;
  const env: Record<string, string> = { LLMOPS_DATA_DIR: dataDir, ...(database ? { DATABASE_URL: database.url } : {}) };
  let app: { stop(): Promise<void> } | undefined;
  try {
    const stores = await openStores(parseEnv({ ...process.env, ...env, LLMOPS_DEMO: "off" }));
    let experimentId: number;
    try {
      const [existing] = await stores.postgres.db
        .select({ id: experiments.experimentId })
        .from(experiments)
        .where(eq(experiments.name, "bench-runs-ui"));
      if (existing) {
        experimentId = existing.id;
        console.log(`reusing the stores seeded in ${dataDir}`);
      } else {
        let started = performance.now();
        experimentId = await seedPostgres(stores);
        console.log(`seeded Postgres (${database ? "server" : "PGlite"}) in ${seconds(started)}`);
        started = performance.now();
        await seedClickHouse(stores);
        console.log(`seeded ClickHouse (chDB) in ${seconds(started)}`);
      }
    } finally {
      await stores.close();
    }
    app = await startApp(env);
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--no-first-run"],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 }, extraHTTPHeaders: benchHeaders });
      const base = `http://127.0.0.1:${PORT}`;
      const firstRow = async (p: Page) => p.locator("table tbody tr").first().waitFor();
      const middlePage = Math.max(1, Math.floor(RUNS / 100));
      const pages: [string, string][] = [
        [`runs table, newest first (page 1 of ${Math.ceil(RUNS / 50).toLocaleString("en")})`, `/experiments/${experimentId}`],
        ["runs table sorted on a metric (metrics.m3 DESC)", `/experiments/${experimentId}?sort=metric%3Am3&dir=desc`],
        [`runs table, page ${middlePage.toLocaleString("en")}`, `/experiments/${experimentId}?page=${middlePage}`],
        [
          "runs table filtered (params.model = 'xgb' and metrics.m0 > 0.5)",
          `/experiments/${experimentId}?filter=${encodeURIComponent("params.model = 'xgb' and metrics.m0 > 0.5")}`,
        ],
      ];
      // BENCH_ONLY=compare measures the comparison alone (BENCH_ONLY=table the runs table alone).
      const only = process.env.BENCH_ONLY;
      for (const [name, url] of only === "compare" ? [] : pages) {
        const samples = [];
        for (let i = 0; i < LOADS; i++) samples.push(await timeTo(page, base + url, firstRow));
        report(name, samples);
      }
      if (only === "table") return;
      const ids = Array.from({ length: 10 }, (_, i) => i * Math.floor(RUNS / 10) + 1);
      const runIds = await Promise.all(
        ids.map(async (i) => {
          const { createHash } = await import("node:crypto");
          return createHash("md5").update(`bench${i}`).digest("hex");
        }),
      );
      const compare = `/experiments/compare?${runIds.map((id) => `runs=${id}`).join("&")}`;
      const rows: number[] = [];
      const first: number[] = [];
      const all: number[] = [];
      for (let i = 0; i < LOADS; i++) {
        rows.push(await timeTo(page, base + compare, firstRow));
        first.push(await timeTo(page, base + compare, (p) => linesDrawn(p, ["m0"])));
        all.push(await timeTo(page, base + compare, (p) => linesDrawn(p, CHARTED)));
      }
      report("10-run comparison: first table row", rows);
      report("10-run comparison: 10 history lines drawn (m0)", first);
      report(`10-run comparison: all ${CHARTED.length} charts' 10 lines drawn`, all);
    } finally {
      await browser.close();
    }
  } finally {
    await app?.stop();
    if (!kept) {
      await rm(dataDir, { recursive: true, force: true });
      await database?.drop();
    }
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
