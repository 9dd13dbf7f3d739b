import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { postgresBackends } from "@/db/test/postgres";
import { startEvalUpstream } from "@/lib/evaluations/testing/fixtures";
import { parseConfig } from "@/lib/gateway/config";
import type { Gateway } from "@/lib/gateway/gateway.server";
import { createGateway } from "@/lib/gateway/runtime.server";
import { openTestStores, rows, type TestStores } from "@/lib/gateway/testing/harness";
import type { Upstream } from "@/lib/gateway/testing/upstream";
import { rows as pgRows } from "@/lib/labelling/sql.server";
import { claimNext, submitLabels } from "@/lib/labelling/claims.server";
import { createQueue } from "@/lib/labelling/queues.server";
import { calibration } from "./calibration.server";
import { runtimeStatus } from "./status.server";
import { RuntimeEvaluationWorker } from "./worker.server";

const config = (upstreamUrl: string) => `
[recorder]
flush_ms = 50

[providers.up]
type = "openai"
base_url = "${upstreamUrl}/v1"
max_retries = 0

[providers.fake]
type = "dummy"
latency_ms = 0
ttft_ms = 0
reply = "answer to {{last_user}}"

[models.fast]
routing = [{ provider = "fake" }]

[models.answer]
routing = [{ provider = "up", model = "answer" }]
price = { input = 1.0, output = 2.0 }

[models.judge]
routing = [{ provider = "up", model = "judge" }]
price = { input = 0.5, output = 0.5 }

[functions.qa.variants.a]
model = "fast"
user = "{{q}}"
[functions.qa.evaluators.mentions]
type = "icontains"
value = "answer"
[functions.qa.runtime_evaluation]
sample_rate = 0.2
max_backlog = 100000

[functions.rag.variants.good]
model = "answer"
user = "Question: {{q}}"
[functions.rag.evaluators.mentions]
type = "icontains"
value = "answer"
[functions.rag.evaluators.helpful]
type = "llm-rubric"
value = "Does it answer the question?"
[functions.rag.runtime_evaluation]
sample_rate = 1.0
judge = { model = "judge" }

[functions.busy.variants.a]
model = "fast"
user = "{{q}}"
[functions.busy.evaluators.mentions]
type = "icontains"
value = "answer"
[functions.busy.runtime_evaluation]
sample_rate = 1.0
max_backlog = 10
`;

let upstream: Upstream;
let t: TestStores;
let gateway: Gateway;
let ragIds: string[] = [];
beforeAll(async () => {
  upstream = await startEvalUpstream();
});
afterAll(async () => {
  await upstream?.close();
});

const ctx = () => ({ db: t.stores.postgres.db, clickhouse: t.stores.clickhouse.client });
const signal = new AbortController().signal;

async function infer(functionName: string, n: number, variables: (i: number) => Record<string, string>): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i += 250) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(250, n - i) }, (_, j) => gateway.infer({ functionName, variables: variables(i + j) }, { signal })),
    );
    ids.push(...batch.map((r) => r.inferenceId));
  }
  await gateway.recorder.close(10_000).catch(() => undefined);
  return ids;
}

async function jobCounts(functionName: string) {
  const [row] = await pgRows<{ total: number; done: number }>(
    t.stores.postgres.db,
    sql`select count(*)::int as total, count(*) filter (where status = 'done')::int as done from runtime_eval_jobs where function_name = ${functionName}`,
  );
  return { total: Number(row!.total), done: Number(row!.done) };
}

async function until(check: () => Promise<boolean>, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) {
      const jobs = await pgRows(t.stores.postgres.db, sql`select status, error, count(*)::int as n from runtime_eval_jobs group by 1, 2`);
      throw new Error(`timed out: ${JSON.stringify(jobs)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.each(postgresBackends)("runtime evaluation on $name", (backend) => {
  beforeAll(async () => {
    t = await openTestStores(backend);
  });
  afterAll(async () => {
    await gateway?.recorder.close(5_000);
    await t?.cleanup();
  });

  it("scores a sampled share within ±2 points of the configured rate, as evaluator feedback", async () => {
    // Each run builds its own gateway: closing the recorder above also flushes and stops the sampler.
    gateway = await createGateway(t.stores, parseConfig(config(upstream.url)));
    const ids = await infer("qa", Number(process.env.RT_N ?? 5000), (i) => ({ q: `question ${i}` }));
    const { total } = await jobCounts("qa");
    const share = total / ids.length;
    expect(Math.abs(share - 0.2)).toBeLessThanOrEqual(0.02);

    const worker = new RuntimeEvaluationWorker(ctx(), async () => gateway, { pollMs: 20, maxInFlight: 64 });
    worker.start();
    await until(async () => (await jobCounts("qa")).done === total);
    await worker.stop();

    const [fb] = await rows<{ n: string; targets: string; mean: number }>(
      t.stores,
      `SELECT count() AS n, uniqExact(target_id) AS targets, avg(value) AS mean FROM feedback
       WHERE function_name = 'qa' AND metric_name = 'mentions' AND tags['llmops.source'] = 'evaluator'`,
    );
    expect(Number(fb!.n)).toBe(total);
    expect(Number(fb!.targets)).toBe(total);
    expect(fb!.mean).toBe(1);
    const status = await runtimeStatus(t.stores.postgres.db, gateway.config, "qa");
    expect(status).toMatchObject({ sampleRate: 0.2, backlog: 0, backpressure: null, last15m: { seen: 5000, sampled: total, shed: 0 } });
    expect(status!.last24h.done).toBe(total);
  }, 300_000);

  it("runs judges through the gateway, records their calls and their cost", async () => {
    gateway = await createGateway(t.stores, parseConfig(config(upstream.url)));
    // The judge fails answers that say "wrong": every fourth question.
    const ids = await infer("rag", 20, (i) => ({ q: i % 4 === 0 ? `wrong-${i}` : `item-${i}` }));
    ragIds = ids;
    expect((await jobCounts("rag")).total).toBe(20);
    gateway = await createGateway(t.stores, parseConfig(config(upstream.url)));
    const worker = new RuntimeEvaluationWorker(ctx(), async () => gateway, { pollMs: 20 });
    worker.start();
    await until(async () => (await jobCounts("rag")).done === 20);
    await worker.stop();
    await gateway.recorder.close(10_000);

    const judged = await rows<{ judged: string; cost: number; evaluator: string }>(
      t.stores,
      `SELECT tags['llmops.judged_inference'] AS judged, cost, tags['llmops.evaluator'] AS evaluator FROM inferences
       WHERE function_name = 'llmops::model' AND variant_name = 'judge'`,
    );
    expect(new Set(judged.map((j) => j.judged))).toEqual(new Set(ids));
    // 20 prompt + 5 completion tokens at $0.5 per million each.
    for (const j of judged) expect(j.cost).toBeCloseTo(12.5e-6, 12);
    const scores = await rows<{ metric_name: string; value: number; version: string; judge: string; cost: string }>(
      t.stores,
      `SELECT metric_name, value, tags['llmops.judge_version'] AS version, tags['llmops.judge_inference'] AS judge, tags['llmops.judge_cost'] AS cost
       FROM feedback WHERE function_name = 'rag' AND tags['llmops.source'] = 'evaluator'`,
    );
    expect(scores.filter((s) => s.metric_name === "mentions")).toHaveLength(20);
    const helpful = scores.filter((s) => s.metric_name === "helpful");
    expect(helpful).toHaveLength(20);
    for (const s of helpful) expect(s.version).toBe("model:judge");
    expect(helpful.filter((s) => s.value === 0.2)).toHaveLength(5);
    expect(helpful.filter((s) => s.value === 0.9)).toHaveLength(15);
    const status = await runtimeStatus(t.stores.postgres.db, gateway.config, "rag");
    expect(status!.last24h.judgeCalls).toBe(20);
    expect(status!.last24h.judgeCost).toBeCloseTo(20 * 12.5e-6, 10);
  }, 180_000);

  it("reports judge-human agreement on a labelling queue against a hand-computed kappa", async () => {
    const queue = await createQueue(ctx(), {
      name: `calibration-${backend.name}`,
      fields: [{ key: "helpful", type: "boolean", metric: "helpful" }],
      filter: { function: "rag" },
    });
    expect(queue.itemCount).toBe(20);
    // Humans agree with the judge except on item 1 (they fail it) and item 4 (they pass it).
    const human = (id: string) => {
      const i = ragIds.indexOf(id);
      return i === 1 ? false : i === 4 ? true : i % 4 !== 0;
    };
    let { item } = await claimNext(ctx(), { queueId: queue.id, reviewer: "ann" });
    while (item)
      ({ item } = await submitLabels(ctx(), {
        queueId: queue.id,
        claimId: item.claimId,
        reviewer: "ann",
        values: { helpful: human(item.inferenceId) },
      }));
    // 14 both pass, 1 human pass / judge fail, 1 human fail / judge pass, 4 both fail:
    // p_o = 18/20 = 0.9, p_e = 0.75·0.75 + 0.25·0.25 = 0.625, kappa = (0.9 − 0.625) / 0.375 = 0.7333…
    for (const where of [{ queueId: queue.id }, { functionName: "rag" }]) {
      const [row, ...rest] = await calibration(ctx(), gateway.config, where);
      expect(rest).toEqual([]);
      expect(row).toMatchObject({ metric: "helpful", judgeVersion: "model:judge", pairs: 20, flag: null });
      expect(row!.confusion).toEqual({ bothPass: 14, humanPassJudgeFail: 1, humanFailJudgePass: 1, bothFail: 4 });
      expect(row!.kappa).toBeCloseTo(0.275 / 0.375, 10);
    }
  });

  it("samples less when judges fall behind, and says so", async () => {
    gateway = await createGateway(t.stores, parseConfig(config(upstream.url)));
    await infer("busy", 100, (i) => ({ q: `q${i}` }));
    const { total } = await jobCounts("busy");
    expect(total).toBeLessThanOrEqual(10);
    const status = await runtimeStatus(t.stores.postgres.db, gateway.config, "busy");
    expect(status!.last15m.shed).toBe(100 - total);
    expect(status!.backpressure).toMatch(/Judges are behind/);
    expect(status!.last15m.lowestRate).toBeLessThan(1);
  });
});
