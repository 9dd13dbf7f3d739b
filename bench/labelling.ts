/**
 * `npm run bench:labelling`: the labelling queue's speed goals, through the same services the API
 * uses (Postgres claims, ClickHouse feedback), on PGlite + chDB and on the Postgres server + chDB.
 *
 *   10 reviewers drain a queue of BENCH_ITEMS (default 2000) items at once. Each step is what the
 *   labelling screen waits for after Enter: save the labels (Postgres + a feedback insert) and
 *   claim the next item. Figures: p50 / p95 of a step, labels per second overall.
 *   Goal: p95 < 250 ms on the Postgres server (a reviewer never waits noticeably), and every item
 *   labelled exactly once.
 */
import { openPostgres } from "@/db/client.server";
import { openTestClickHouse } from "@/db/test/clickhouse";
import { insertTestInferences } from "@/db/test/inferences";
import { createTestDatabase, tmpDir } from "@/db/test/postgres";
import { claimNext, submitLabels } from "@/lib/labelling/claims.server";
import { createQueue } from "@/lib/labelling/queues.server";
import type { LabellingContext } from "@/lib/labelling/sql.server";

const BACKENDS = (process.env.BENCH_BACKENDS ?? "pglite,postgres").split(",").map((b) => b.trim());
const ITEMS = Number(process.env.BENCH_ITEMS ?? 2000);
const REVIEWERS = 10;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

async function drain(ctx: LabellingContext, queueId: string, reviewer: string, steps: number[], seen: string[]) {
  let { item } = await claimNext(ctx, { queueId, reviewer });
  while (item) {
    seen.push(item.inferenceId);
    const started = performance.now();
    ({ item } = await submitLabels(ctx, {
      queueId,
      claimId: item.claimId,
      reviewer,
      values: { ok: item.position % 3 !== 0, score: 1 + (item.position % 5) },
    }));
    steps.push(performance.now() - started);
  }
}

const ch = await openTestClickHouse();
await insertTestInferences(ch.store.client, { count: ITEMS, functionName: "bench" });
const results: Record<string, number> = {};
try {
  for (const backend of BACKENDS) {
    const database = backend === "postgres" ? await createTestDatabase() : undefined;
    const dataDir = await tmpDir("bench-label");
    const pg = await openPostgres({ url: database?.url, dataDir, connectTimeoutMs: 10_000 });
    try {
      const ctx = { db: pg.db, clickhouse: ch.store.client };
      const queue = await createQueue(ctx, {
        name: `bench-${backend}`,
        filter: { function: "bench" },
        fields: [
          { key: "ok", type: "boolean" },
          { key: "score", type: "score" },
        ],
      });
      const steps: number[] = [];
      const seen: string[] = [];
      const started = performance.now();
      await Promise.all(Array.from({ length: REVIEWERS }, (_, i) => drain(ctx, queue.id, `r${i}`, steps, seen)));
      const seconds = (performance.now() - started) / 1000;
      const sorted = [...steps].sort((a, b) => a - b);
      const exact = seen.length === ITEMS && new Set(seen).size === ITEMS;
      results[`${backend} p95`] = percentile(sorted, 95);
      console.log(
        `${backend.padEnd(8)} ${ITEMS} items, ${REVIEWERS} reviewers: label+next p50 ${percentile(sorted, 50).toFixed(1)} ms, p95 ${percentile(sorted, 95).toFixed(1)} ms; ` +
          `${(ITEMS / seconds).toFixed(0)} labels/s; each item labelled exactly once: ${exact ? "yes" : "NO"}`,
      );
      if (!exact) process.exitCode = 1;
    } finally {
      await pg.close();
      await database?.drop();
    }
  }
  if (results["pglite p95"] && results["postgres p95"]) {
    console.log(`ratio p95 PGlite / Postgres: ${(results["pglite p95"] / results["postgres p95"]).toFixed(2)}`);
  }
  if ((results["postgres p95"] ?? 0) > 250) console.log("goal missed: p95 on Postgres should stay under 250 ms");
} finally {
  await ch.cleanup();
}
