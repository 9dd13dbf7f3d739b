/**
 * `npm run bench:evaluations`: the evaluation runner's speed goals, through the same services the
 * API and the worker use, on PGlite (or the Postgres server, BENCH_BACKEND=postgres) + chDB.
 *
 *   1. BENCH_ITEMS (1,000) items × 2 variants × 3 evaluators (icontains, rouge-l, an LLM judge)
 *      against a local OpenAI-compatible upstream answering after BENCH_LATENCY_MS (50 ms), at
 *      concurrency 32. A unit is an answer then a judge call, so the ideal wall time is
 *      units × 2 × latency / 32. Goal: at least 80% of the ideal throughput. Also: the overhead
 *      per unit (wall × 32 / units − 2 × latency).
 *   2. The comparison behind the compare page of two BENCH_COMPARE_ITEMS (10,000)-item runs
 *      (paired tests over every item, regressions first, the first page of side-by-side outputs),
 *      in process. Goal: under 1 s.
 */
import { sql } from "drizzle-orm";
import { openPostgres } from "@/db/client.server";
import { evaluationItems } from "@/db/schema";
import { openTestClickHouse } from "@/db/test/clickhouse";
import { createTestDatabase, tmpDir } from "@/db/test/postgres";
import { createFromItems } from "@/lib/datasets/service.server";
import { compareRuns } from "@/lib/evaluations/compare.server";
import { counts, createEvaluationRun, getRunView } from "@/lib/evaluations/runs.server";
import { evalConfig, evalItems, startEvalUpstream } from "@/lib/evaluations/testing/fixtures";
import { EvaluationWorker } from "@/lib/evaluations/worker.server";
import { parseConfig } from "@/lib/gateway/config";
import { createGateway } from "@/lib/gateway/runtime.server";

const ITEMS = Number(process.env.BENCH_ITEMS ?? 1000);
const LATENCY = Number(process.env.BENCH_LATENCY_MS ?? 50);
const CONCURRENCY = 32;
const COMPARE_ITEMS = Number(process.env.BENCH_COMPARE_ITEMS ?? 10_000);
const BACKEND = process.env.BENCH_BACKEND ?? "pglite";

const ch = await openTestClickHouse();
const database = BACKEND === "postgres" ? await createTestDatabase() : undefined;
const pg = await openPostgres({ url: database?.url, dataDir: await tmpDir("bench-evals"), connectTimeoutMs: 10_000 });
const upstream = await startEvalUpstream(LATENCY);
const ctx = { db: pg.db, clickhouse: ch.store.client };
const stores = { postgres: pg, clickhouse: ch.store, close: async () => undefined };
const gateway = await createGateway(stores, parseConfig(evalConfig(upstream.url)));
try {
  await createFromItems(ctx, { name: "bench", items: evalItems(ITEMS), source: { kind: "api" } });
  const run = await createEvaluationRun(ctx, gateway.config, {
    function: "qa",
    dataset: { name: "bench" },
    candidates: [{ variant: "good" }, { variant: "terse" }],
    evaluators: [
      { name: "faithful", type: "rouge-l", threshold: 0.5 },
      { name: "helpful", type: "llm-rubric", value: "Does it answer the question?" },
    ],
    judge: { model: "judge" },
    concurrency: CONCURRENCY,
  });
  const worker = new EvaluationWorker(ctx, async () => gateway, { pollMs: 20, maxInFlight: CONCURRENCY });
  const started = performance.now();
  worker.start();
  // Progress by counts only (as a watcher would poll it), so the bench measures the runner.
  for (;;) {
    const c = (await counts(pg.db, [run.id])).get(run.id) ?? {};
    if ((c.done ?? 0) + (c.error ?? 0) >= run.progress.total) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  const wall = (performance.now() - started) / 1000;
  let view = await getRunView(ctx, run.id);
  while (view.status !== "finished") {
    await new Promise((r) => setTimeout(r, 50));
    view = await getRunView(ctx, run.id);
  }
  await worker.stop();
  const units = view.progress.total;
  const ideal = (units * 2 * LATENCY) / 1000 / CONCURRENCY;
  const overheadMs = (wall * 1000 * CONCURRENCY) / units - 2 * LATENCY;
  console.log(
    `run: ${units} units (${ITEMS} items × 2 variants), 3 evaluators incl. a judge, ${LATENCY} ms upstream, concurrency ${CONCURRENCY}, ${BACKEND}`,
  );
  console.log(
    `  wall ${wall.toFixed(2)} s, ideal ${ideal.toFixed(2)} s → ${((ideal / wall) * 100).toFixed(0)}% of ideal throughput (goal ≥ 80%)`,
  );
  console.log(`  overhead per unit ${overheadMs.toFixed(1)} ms (besides its two ${LATENCY} ms calls); errors ${view.progress.errors}`);

  // Two 10,000-item runs for the comparison: created by the service, their units then written as done in bulk.
  await createFromItems(ctx, { name: "bench-compare", items: evalItems(COMPARE_ITEMS), source: { kind: "api" } });
  const ids: string[] = [];
  for (const variant of ["good", "terse"]) {
    const r = await createEvaluationRun(ctx, gateway.config, {
      function: "qa",
      dataset: { name: "bench-compare" },
      candidates: [{ variant }],
    });
    const wrong = variant === "terse" ? 5 : 1_000_000_000;
    await pg.db
      .execute(sql`update ${evaluationItems} set status = 'done', finished_at = 0, latency_ms = 50 + item_position % 40, cost = 0.00003,
        output = case when item_position % ${wrong} = 0 then 'wrong' else 'answer to item-' || item_position end,
        passed = item_position % ${wrong} <> 0,
        scores = jsonb_build_object('mentions', jsonb_build_object('score', case when item_position % ${wrong} = 0 then 0 else 1 end, 'pass', item_position % ${wrong} <> 0),
                                    'helpful', jsonb_build_object('score', (item_position % 7) / 7.0, 'pass', item_position % 7 > 2))
        where run_id = ${r.id}`);
    await pg.db.execute(sql`update evaluation_runs set status = 'finished' where id = ${r.id}`);
    ids.push(r.id);
  }
  const times: number[] = [];
  for (let i = 0; i < 6; i++) {
    const t = performance.now();
    const cmp = await compareRuns(ctx, [{ runId: ids[0]! }, { runId: ids[1]! }]);
    times.push(performance.now() - t);
    if (i === 0) console.log(`compare: ${cmp.comparisons[0]!.pairs} pairs, ${cmp.comparisons[0]!.overall.regressions.length} regressions`);
  }
  const warm = times.slice(1).sort((a, b) => a - b);
  console.log(
    `  compare of two ${COMPARE_ITEMS}-item runs: first ${times[0]!.toFixed(0)} ms, warm median ${warm[2]!.toFixed(0)} ms, max ${warm.at(-1)!.toFixed(0)} ms (goal < 1 s)`,
  );
} finally {
  await gateway.recorder.close(5_000);
  await upstream.close();
  await pg.close();
  await database?.drop();
  await ch.cleanup();
}
