/**
 * `npm run bench:tracking`: the tracking server's speed goals, measured through the same endpoint
 * table and wrapper the route handlers use (request parsing, validation, stores, serialisation;
 * no HTTP socket), on PGlite + chDB (the laptop default) and on the real Postgres server + chDB.
 *
 *   1. runs/log-batch with 1000 metrics: p50 / p99 latency (goal: p50 < 30 ms).
 *   2. runs/search with a metric filter and a metric order over 100,000 runs: p95 (goal: < 150 ms).
 *   3. A 100 MB artifact uploaded and downloaded through the built app (bench/artifacts.ts; needs
 *      `npm run build`): throughput against a plain file copy, and the server's RSS while it streams.
 *      BENCH_ARTIFACTS=off skips it, =only runs nothing else.
 *
 * BENCH_BACKENDS=pglite,postgres chooses the Postgres engines; BENCH_RUNS the number of seeded runs.
 */
import { rm } from "node:fs/promises";
import { sql } from "drizzle-orm";
import { openPostgres, type PostgresStore } from "@/db/client.server";
import { openTestClickHouse } from "@/db/test/clickhouse";
import { createTestDatabase, tmpDir } from "@/db/test/postgres";
import { MLFLOW_API, type MlflowPath } from "@/lib/mlflow/api.server";
import { invokeEndpoint, type Endpoint, type MlflowMethod } from "@/lib/mlflow/http.server";
import type { TrackingContext } from "@/lib/tracking/context";
import { benchArtifacts } from "./artifacts";

const BACKENDS = (process.env.BENCH_BACKENDS ?? "pglite,postgres").split(",").map((b) => b.trim());
const SEEDED_RUNS = Number(process.env.BENCH_RUNS ?? 100_000);
const BATCHES = 200;
const SEARCHES = 100;

async function call(
  ctx: TrackingContext,
  method: MlflowMethod,
  path: MlflowPath,
  body: string | Record<string, string | string[]>,
): Promise<unknown> {
  const endpoints: Partial<Record<MlflowMethod, Endpoint>> = MLFLOW_API[path];
  const endpoint = endpoints[method];
  if (!endpoint) throw new Error(`no endpoint ${method} ${path}`);
  const url = new URL(`http://bench/api/2.0/mlflow${path}`);
  let init: RequestInit = { method };
  if (typeof body === "string") init = { method, body, headers: { "content-type": "application/json" } };
  else for (const [k, v] of Object.entries(body)) for (const item of [v].flat()) url.searchParams.append(k, item);
  const res = await invokeEndpoint(endpoint, new Request(url, init), ctx);
  const json: unknown = await res.json();
  if (res.status !== 200) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

function summary(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    mean: samples.reduce((a, b) => a + b, 0) / samples.length,
  };
}

const ms = (v: number) => `${v.toFixed(1)} ms`;

async function benchLogBatch(ctx: TrackingContext) {
  const created = (await call(ctx, "POST", "/runs/create", JSON.stringify({ run_name: "bench-log-batch" }))) as {
    run: { info: { run_id: string } };
  };
  const runId = created.run.info.run_id;
  // 1000 metrics per batch: 100 keys × 10 steps, as a training loop flushing every 10 steps would.
  const body = (batch: number) =>
    JSON.stringify({
      run_id: runId,
      metrics: Array.from({ length: 1000 }, (_, i) => {
        const step = batch * 10 + Math.floor(i / 100);
        return { key: `metric_${i % 100}`, value: Math.sin(step + i), timestamp: 1_700_000_000_000 + step, step };
      }),
    });
  for (let b = 0; b < 10; b++) await call(ctx, "POST", "/runs/log-batch", body(b));
  const bodies = Array.from({ length: BATCHES }, (_, b) => body(b + 10));
  const samples: number[] = [];
  for (const payload of bodies) {
    const start = performance.now();
    await call(ctx, "POST", "/runs/log-batch", payload);
    samples.push(performance.now() - start);
  }
  return summary(samples);
}

/** Seeds runs with SQL (the API would take minutes for 100k runs; search only reads what it wrote). */
async function seedRuns(store: PostgresStore, experimentId: string, count: number) {
  const db = store.db;
  const exp = Number(experimentId);
  await db.execute(sql`insert into runs (run_id, experiment_id, name, user_id, status, start_time, artifact_uri, lifecycle_stage)
    select md5('bench' || i), ${exp}, 'run-' || i, 'bench', case when i % 10 = 0 then 'FAILED' else 'FINISHED' end,
           1700000000000 + i * 1000, 'mlflow-artifacts:/' || ${exp} || '/' || md5('bench' || i) || '/artifacts', 'active'
    from generate_series(1, ${count}) as i`);
  await db.execute(sql`insert into latest_metrics (run_id, experiment_id, key, value, timestamp, step)
    select md5('bench' || i), ${exp}, k.key, case when k.key = 'acc' then ((i * 7919) % 10007) / 10007.0 else ((i::bigint * 104729) % 9973) / 9973.0 end,
           1700000000000 + i * 1000, 100
    from generate_series(1, ${count}) as i cross join (values ('acc'), ('loss'), ('f1')) as k(key)`);
  await db.execute(sql`insert into run_params (run_id, key, value)
    select md5('bench' || i), p.key, case when p.key = 'model' then (array['lr', 'rf', 'xgb', 'mlp'])[1 + i % 4] else (i % 50)::text end
    from generate_series(1, ${count}) as i cross join (values ('model'), ('seed')) as p(key)`);
  await db.execute(
    sql`insert into run_tags (run_id, key, value) select md5('bench' || i), 'mlflow.runName', 'run-' || i from generate_series(1, ${count}) as i`,
  );
  await db.execute(sql`analyze`);
}

async function benchSearch(ctx: TrackingContext, store: PostgresStore) {
  const experiment = (await call(ctx, "POST", "/experiments/create", JSON.stringify({ name: "bench-search" }))) as {
    experiment_id: string;
  };
  const seedStart = performance.now();
  await seedRuns(store, experiment.experiment_id, SEEDED_RUNS);
  const seedSeconds = (performance.now() - seedStart) / 1000;
  const queries = {
    "metrics.acc > 0.5, order by metrics.acc DESC": { filter: "metrics.acc > 0.5", order_by: ["metrics.acc DESC"] },
    "no filter, order by metrics.acc DESC": { order_by: ["metrics.acc DESC"] },
    "params.model = 'xgb' and metrics.loss < 0.2 (5% of runs), order by metrics.acc DESC": {
      filter: "params.model = 'xgb' and metrics.loss < 0.2",
      order_by: ["metrics.acc DESC"],
    },
  };
  const results: Record<string, ReturnType<typeof summary>> = {};
  for (const [name, query] of Object.entries(queries)) {
    const body = JSON.stringify({ experiment_ids: [experiment.experiment_id], max_results: 100, ...query });
    for (let i = 0; i < 5; i++) await call(ctx, "POST", "/runs/search", body);
    const samples: number[] = [];
    for (let i = 0; i < SEARCHES; i++) {
      const start = performance.now();
      const reply = (await call(ctx, "POST", "/runs/search", body)) as { runs?: unknown[] };
      samples.push(performance.now() - start);
      if (reply.runs?.length !== 100) throw new Error(`search "${name}" returned ${reply.runs?.length ?? 0} runs, expected 100`);
    }
    results[name] = summary(samples);
  }
  return { seedSeconds, results };
}

async function openBackend(name: string): Promise<{ store: PostgresStore; cleanup(): Promise<void> }> {
  if (name === "pglite") {
    const dataDir = await tmpDir("bench-pglite");
    const store = await openPostgres({ dataDir, connectTimeoutMs: 10_000 });
    return { store, cleanup: async () => (await store.close(), await rm(dataDir, { recursive: true, force: true })) };
  }
  if (name === "postgres") {
    const database = await createTestDatabase();
    const store = await openPostgres({ url: database.url, dataDir: "/nonexistent", connectTimeoutMs: 10_000 });
    return { store, cleanup: async () => (await store.close(), await database.drop()) };
  }
  throw new Error(`unknown backend ${name}; use pglite or postgres`);
}

async function main() {
  const artifacts = process.env.BENCH_ARTIFACTS ?? "on";
  if (artifacts === "only") return benchArtifacts();
  const clickhouse = await openTestClickHouse();
  console.log(
    `tracking benchmark: ${BATCHES} log-batch calls of 1000 metrics, ${SEARCHES} searches over ${SEEDED_RUNS.toLocaleString("en")} runs`,
  );
  try {
    for (const backend of BACKENDS) {
      const { store, cleanup } = await openBackend(backend);
      const ctx = { db: store.db, clickhouse: clickhouse.store.client };
      try {
        console.log(
          `\n## Postgres: ${backend} (${await store.version()}), ClickHouse: ${clickhouse.store.kind === "embedded" ? "chDB" : "server"} ${await clickhouse.store.version()}`,
        );
        const batch = await benchLogBatch(ctx);
        console.log(
          `log-batch (1000 metrics): p50 ${ms(batch.p50)}, p99 ${ms(batch.p99)}, mean ${ms(batch.mean)} → ${Math.round(1000 / (batch.mean / 1000)).toLocaleString("en")} metrics/s`,
        );
        console.log(
          `  goal p50 < 30 ms: ${(batch.p50 / 30).toFixed(2)}× the budget (published comparison: MLflow's server ~1200 ms per 500 metrics, a Go rewrite 13 ms)`,
        );
        const search = await benchSearch(ctx, store);
        console.log(
          `search over ${SEEDED_RUNS.toLocaleString("en")} runs (seeded in ${search.seedSeconds.toFixed(1)} s, 100 results per page):`,
        );
        for (const [name, s] of Object.entries(search.results)) {
          console.log(`  ${name}: p50 ${ms(s.p50)}, p95 ${ms(s.p95)} (${(s.p95 / 150).toFixed(2)}× the 150 ms p95 budget)`);
        }
      } finally {
        await cleanup();
      }
    }
  } finally {
    await clickhouse.cleanup();
  }
  if (artifacts !== "off") await benchArtifacts();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
