import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gateDecisions } from "@/db/schema";
import { openTestClickHouse, type TestClickHouse } from "@/db/test/clickhouse";
import { mlflowTestClient } from "@/db/test/mlflow";
import { postgresBackends, type TestPostgres } from "@/db/test/postgres";
import { createFromItems } from "@/lib/datasets/service.server";
import { parseConfig } from "@/lib/gateway/config";
import type { Gateway } from "@/lib/gateway/gateway.server";
import { createGateway } from "@/lib/gateway/runtime.server";
import type { Upstream } from "@/lib/gateway/testing/upstream";
import { moveAlias } from "@/lib/registry/dashboard.server";
import { ensurePromptVersion, setAlias } from "@/lib/registry/repo.server";
import { deletePolicy, evaluateGate, listPolicies, upsertPolicy } from "./gate.server";
import { checkAliasMove, GateRefusedError } from "./gated-alias.server";
import { createEvaluationRun, getRunView, type EvaluationsContext } from "./runs.server";
import { evalConfig, evalItems, startEvalUpstream } from "./testing/fixtures";
import { EvaluationWorker } from "./worker.server";

let ch: TestClickHouse;
let upstream: Upstream;
beforeAll(async () => {
  ch = await openTestClickHouse();
  upstream = await startEvalUpstream();
});
afterAll(async () => {
  await upstream?.close();
  await ch?.cleanup();
});

describe.each(postgresBackends)("the promotion gate on $name", (backend) => {
  let pg: TestPostgres;
  let ctx: EvaluationsContext;
  let gateway: Gateway;
  let worker: EvaluationWorker;
  beforeAll(async () => {
    pg = await backend.open();
    ctx = { db: pg.store.db, clickhouse: ch.store.client };
    gateway = await createGateway(
      { postgres: pg.store, clickhouse: ch.store, close: async () => undefined },
      parseConfig(evalConfig(upstream.url)),
    );
    worker = new EvaluationWorker(ctx, async () => gateway, { pollMs: 20 });
    worker.start();
    await createFromItems(ctx, { name: "golden", items: evalItems(60), source: { kind: "api" } });
    for (const template of ["Question: {{q}}", "Terse: {{q}}", "Question: {{q}} (v3)"])
      await ensurePromptVersion(ctx.db, { name: "qa-prompt", template });
    await setAlias(ctx.db, "qa-prompt", "production", 1);
    await upsertPolicy(ctx.db, {
      target_kind: "registered",
      target_name: "qa-prompt",
      alias: "production",
      function: "qa",
      dataset: "golden",
      conditions: [
        { kind: "threshold", evaluator: "mentions", stat: "mean", op: ">=", value: 0.9 },
        { kind: "no_regression", evaluators: ["mentions"] },
      ],
    });
  });
  afterAll(async () => {
    await worker?.stop();
    await gateway?.recorder.close(5_000);
    await pg?.cleanup();
  });

  async function evaluate(versions: number[]) {
    const run = await createEvaluationRun(ctx, gateway.config, {
      function: "qa",
      dataset: { name: "golden" },
      candidates: versions.map((v) => ({ prompt: `prompts:/qa-prompt/${v}` })),
      concurrency: 16,
    });
    worker.kick();
    for (let i = 0; i < 2000 && (await getRunView(ctx, run.id)).status !== "finished"; i++) await new Promise((r) => setTimeout(r, 50));
    return getRunView(ctx, run.id);
  }

  const move = (version: number, override?: { reason: string }) =>
    checkAliasMove(ctx.db, { name: "qa-prompt", alias: "production", version, surface: "dashboard", override }).then(() =>
      moveAlias(ctx, "qa-prompt", "production", version),
    );

  it("refuses a move without evidence, then one that regresses, on the dashboard and on MLflow's endpoint, naming the condition", async () => {
    await expect(move(2)).rejects.toThrow(
      /refuses moving production of qa-prompt to version 2: mentions\/mean >= 0.9 failed \(no finished evaluation run of qa on dataset golden served qa-prompt\/2\)/,
    );

    const run = await evaluate([1, 2]);
    expect(run.summary.map((s) => [s.candidate, s.evaluators.mentions!.mean])).toEqual([
      ["1-qa-prompt_1", 1],
      ["2-qa-prompt_2", expect.closeTo(0.8, 9)],
    ]);
    const refused = await move(2).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(GateRefusedError);
    const message = (refused as GateRefusedError).message;
    expect(message).toMatch(/mentions\/mean >= 0.9 failed \(mentions\/mean = 0.800/);
    expect(message).toMatch(
      /no significant regression in mentions against the version the alias points to now failed \(mentions drops by 0.200 .*12 items regress\)/,
    );

    const mlflow = mlflowTestClient(ctx);
    const denied = await mlflow.fail("POST", "/registered-models/alias", { name: "qa-prompt", alias: "production", version: "2" });
    expect(denied).toMatchObject({
      status: 403,
      error_code: "PERMISSION_DENIED",
      message: expect.stringMatching(/^The promotion gate refuses moving production of qa-prompt to version 2/),
    });
    expect((await mlflow.call("GET", "/registered-models/alias", { name: "qa-prompt", alias: "production" })).json).toMatchObject({
      model_version: { version: "1" },
    });
  });

  it("allows a move whose evidence holds, and an admin override with a reason, keeping every decision", async () => {
    await evaluate([3]);
    await expect(move(3)).resolves.toMatchObject({ aliases: [{ alias: "production", version: 3 }] });
    const mlflow = mlflowTestClient(ctx);
    await setAlias(ctx.db, "qa-prompt", "production", 1);
    expect((await mlflow.call("POST", "/registered-models/alias", { name: "qa-prompt", alias: "production", version: "3" })).status).toBe(
      200,
    );

    await expect(move(2, { reason: "hotfix: terse answers for the outage" })).resolves.toMatchObject({
      aliases: [{ alias: "production", version: 2 }],
    });
    const decisions = await ctx.db.select().from(gateDecisions);
    expect(decisions.map((d) => [d.surface, d.version, d.verdict])).toEqual(
      expect.arrayContaining([
        ["dashboard", 2, "fail"],
        ["mlflow", 2, "fail"],
        ["dashboard", 3, "pass"],
        ["mlflow", 3, "pass"],
        ["dashboard", 2, "override"],
      ]),
    );
    expect(decisions.find((d) => d.verdict === "override")!.reason).toBe("hotfix: terse answers for the outage");
  });

  it("applies a function's warn policy to the prompts its variants follow: the move goes through with a warning", async () => {
    for (const p of await listPolicies(ctx.db)) await deletePolicy(ctx.db, p.id);
    await upsertPolicy(ctx.db, {
      target_kind: "function",
      target_name: "qa",
      alias: "production",
      mode: "warn",
      function: "qa",
      dataset: "golden",
      conditions: [{ kind: "threshold", evaluator: "mentions", stat: "mean", op: ">=", value: 0.95 }],
    });
    const following = parseConfig(
      evalConfig(upstream.url, '[functions.qa.variants.live]\nmodel = "answer"\nprompt = "prompts:/qa-prompt@production"\nweight = 0\n'),
    );
    const gate = await evaluateGate(ctx.db, following, { name: "qa-prompt", alias: "production", version: 2 });
    expect(gate).toMatchObject({ verdict: "warn", policies: [{ targetKind: "function", targetName: "qa" }] });
    expect(gate.message).toMatch(
      /^The promotion gate warns about moving production of qa-prompt to version 2: mentions\/mean >= 0.95 failed/,
    );
    await expect(
      checkAliasMove(ctx.db, { name: "qa-prompt", alias: "production", version: 2, surface: "dashboard" }, following),
    ).resolves.toMatchObject({ verdict: "warn" });
    // Without a variant following the alias, the function's policy does not apply.
    expect((await evaluateGate(ctx.db, gateway.config, { name: "qa-prompt", alias: "production", version: 2 })).verdict).toBe("none");
  });
});
