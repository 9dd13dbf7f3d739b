import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestClickHouse, type TestClickHouse } from "@/db/test/clickhouse";
import { postgresBackends, type TestPostgres } from "@/db/test/postgres";
import { createFromItems } from "@/lib/datasets/service.server";
import { parseConfig } from "@/lib/gateway/config";
import type { Gateway } from "@/lib/gateway/gateway.server";
import { createGateway } from "@/lib/gateway/runtime.server";
import type { Upstream } from "@/lib/gateway/testing/upstream";
import { getRun as getMlflowRun } from "@/lib/tracking/runs.server";
import { createEvaluationRun, getRunView, type EvaluationsContext } from "./runs.server";
import { evalConfig, evalItems, startEvalUpstream } from "./testing/fixtures";
import { EvaluationWorker } from "./worker.server";

let ch: TestClickHouse;
let upstream: Upstream;
beforeAll(async () => {
  ch = await openTestClickHouse();
  upstream = await startEvalUpstream(2);
});
afterAll(async () => {
  await upstream?.close();
  await ch?.cleanup();
});

async function waitFor(ctx: EvaluationsContext, runId: string, until: (done: number, status: string) => boolean, timeoutMs = 240_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const view = await getRunView(ctx, runId);
    if (until(view.progress.done + view.progress.errors, view.status)) return view;
    if (Date.now() > deadline) throw new Error(`run ${runId} stuck at ${JSON.stringify(view.progress)} (${view.status})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Upstream calls per item question, for the answering model only. */
function answersPerItem(from: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of upstream.requests.slice(from)) {
    if (r.body.model !== "answer") continue;
    const text = JSON.stringify(r.body.messages);
    const item = /item-\d+/.exec(text)![0];
    counts.set(item, (counts.get(item) ?? 0) + 1);
  }
  return counts;
}

describe.each(postgresBackends)("evaluation runs on $name", (backend) => {
  let pg: TestPostgres;
  let ctx: EvaluationsContext;
  let gateway: Gateway;
  beforeAll(async () => {
    pg = await backend.open();
    ctx = { db: pg.store.db, clickhouse: ch.store.client };
    gateway = await createGateway(
      { postgres: pg.store, clickhouse: ch.store, close: async () => undefined },
      parseConfig(evalConfig(upstream.url)),
    );
    await createFromItems(ctx, { name: "qa-200", items: evalItems(200), source: { kind: "api" } });
  });
  afterAll(async () => {
    await gateway?.recorder.close(5_000);
    await pg?.cleanup();
  });

  it("runs 200 items with a judge through the gateway, scores them as feedback and logs an MLflow run", async () => {
    const from = upstream.requests.length;
    const run = await createEvaluationRun(ctx, gateway.config, {
      name: `qa-${backend.name}`,
      function: "qa",
      dataset: { name: "qa-200" },
      candidates: [{ variant: "good" }],
      evaluators: [{ name: "helpful", type: "llm-rubric", value: "Does it answer the question?" }],
      judge: { model: "judge" },
      concurrency: 16,
      thresholds: [{ evaluator: "helpful", stat: "mean", op: ">=", value: 0.8 }],
    });
    expect(run).toMatchObject({ status: "queued", progress: { total: 200, done: 0 }, dataset: { name: "qa-200", version: 1 } });
    const worker = new EvaluationWorker(ctx, async () => gateway, { pollMs: 20 });
    worker.start();
    const view = await waitFor(ctx, run.id, (_, status) => status === "finished");
    await worker.stop();
    expect(view.progress).toMatchObject({ total: 200, done: 200, errors: 0 });
    const [summary] = view.summary;
    expect(summary).toMatchObject({ candidate: "good", done: 200, passRate: 1 });
    expect(summary!.evaluators.helpful).toMatchObject({ n: 200, mean: expect.closeTo(0.9, 9), passRate: 1 });
    expect(summary!.evaluators.mentions).toMatchObject({ n: 200, mean: 1 });
    expect(summary!.cost.total).toBeCloseTo(200 * ((20 * 1 + 5 * 2) / 1e6), 9);
    expect(view.thresholds).toEqual([expect.objectContaining({ evaluator: "helpful", actual: expect.closeTo(0.9, 9), pass: true })]);
    // Each item answered once and judged once.
    const answered = answersPerItem(from);
    expect(answered.size).toBe(200);
    expect([...answered.values()].every((n) => n === 1)).toBe(true);
    expect(upstream.requests.slice(from).filter((r) => r.body.model === "judge")).toHaveLength(200);

    // Scores are feedback rows (source evaluator), one per evaluator and item, on tagged inferences.
    await gateway.recorder.flush();
    const q = async (query: string) =>
      Object.fromEntries(
        Object.entries(
          (
            await (
              await ch.store.client.query({ query, query_params: { run: run.id }, format: "JSONEachRow" })
            ).json<Record<string, unknown>>()
          )[0]!,
        ).map(([k, v]) => [k, Number(v)]),
      );
    expect(
      await q(`SELECT count() AS n, uniqExact(metric_name) AS metrics FROM feedback
               WHERE tags['llmops.evaluation_run'] = {run:String} AND tags['llmops.source'] = 'evaluator'`),
    ).toEqual({ n: 400, metrics: 2 });
    expect(
      await q(`SELECT countIf(mapContains(tags, 'llmops.evaluator')) AS judges, countIf(NOT mapContains(tags, 'llmops.evaluator')) AS answers
               FROM inferences WHERE tags['llmops.evaluation_run'] = {run:String}`),
    ).toEqual({ judges: 200, answers: 200 });

    // Not production traffic: the dashboards' rollups and the A/B source leave it out.
    expect(
      await q(`SELECT (SELECT count() FROM inference_rollup_1m WHERE function_name = 'qa') AS inferences,
                      (SELECT count() FROM feedback_by_metric WHERE function_name = 'qa') AS feedback`),
    ).toEqual({ inferences: 0, feedback: 0 });

    const mlflow = await getMlflowRun({ ctx, input: { runId: view.mlflow.runIds.good! } });
    expect(mlflow.info.status).toBe("FINISHED");
    const metrics = Object.fromEntries(mlflow.data.metrics.map((m) => [m.key, m.value]));
    expect(metrics).toMatchObject({ "helpful/mean": expect.closeTo(0.9, 9), "mentions/mean": 1, pass_rate: 1 });
    expect(metrics["latency_ms/p95"]).toBeGreaterThanOrEqual(0);
    expect(Object.fromEntries(mlflow.data.params.map((p) => [p.key, p.value]))).toMatchObject({
      function: "qa",
      variant: "good",
      dataset_name: "qa-200",
    });
    expect(mlflow.inputs.datasetInputs[0]!.dataset).toMatchObject({ name: "qa-200", sourceType: "llmops" });
  });

  it("resumes after a restart without doing any finished item again", async () => {
    const from = upstream.requests.length;
    const run = await createEvaluationRun(ctx, gateway.config, {
      function: "qa",
      dataset: { name: "qa-200" },
      candidates: [{ variant: "terse" }],
      concurrency: 8,
    });
    const first = new EvaluationWorker(ctx, async () => gateway, { pollMs: 20 });
    first.start();
    await waitFor(ctx, run.id, (done) => done >= 40);
    await first.stop(); // the process goes down: units in flight finish, nothing more is claimed
    const midway = (await getRunView(ctx, run.id)).progress;
    expect(midway.done).toBeLessThan(200);
    expect(midway.running).toBe(0);
    const second = new EvaluationWorker(ctx, async () => gateway, { pollMs: 20 });
    second.start();
    const view = await waitFor(ctx, run.id, (_, status) => status === "finished");
    await second.stop();
    expect(view.progress).toMatchObject({ done: 200, errors: 0 });
    const answered = answersPerItem(from);
    expect(answered.size).toBe(200);
    expect([...answered.entries()].filter(([, n]) => n !== 1)).toEqual([]);
    // The regression is deterministic: every fifth item fails "mentions".
    expect(view.summary[0]!.evaluators.mentions!.mean).toBeCloseTo(0.8, 9);
  });

  if (backend.name === "postgres") {
    it("shares a run between two workers without doing a unit twice", async () => {
      const from = upstream.requests.length;
      const run = await createEvaluationRun(ctx, gateway.config, {
        function: "qa",
        dataset: { name: "qa-200" },
        candidates: [{ variant: "good" }, { variant: "terse" }],
        concurrency: 16,
      });
      const a = new EvaluationWorker(ctx, async () => gateway, { pollMs: 10, maxInFlight: 8 });
      const b = new EvaluationWorker(ctx, async () => gateway, { pollMs: 10, maxInFlight: 8 });
      a.start();
      b.start();
      const view = await waitFor(ctx, run.id, (_, status) => status === "finished");
      await Promise.all([a.stop(), b.stop()]);
      expect(view.progress).toMatchObject({ total: 400, done: 400 });
      expect(a.completed).toBeGreaterThan(0);
      expect(b.completed).toBeGreaterThan(0);
      expect(a.completed + b.completed).toBe(400);
      const answered = answersPerItem(from);
      expect([...answered.values()].every((n) => n === 2)).toBe(true); // once per candidate
      expect(answered.size).toBe(200);
    });
  }
});
