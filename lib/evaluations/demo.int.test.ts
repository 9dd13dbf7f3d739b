import { afterAll, beforeAll, expect, it } from "vitest";
import { openTestClickHouse, type TestClickHouse } from "@/db/test/clickhouse";
import { postgresBackends, type TestPostgres } from "@/db/test/postgres";
import { createGateway, loadConfigFile } from "@/lib/gateway/runtime.server";
import { compareRuns } from "./compare.server";
import { evaluateGate } from "./gate.server";
import { listRuns } from "./runs.server";
import { DEMO_DATASET, seedEvaluationsDemo } from "./demo.server";

let ch: TestClickHouse;
let pg: TestPostgres;
beforeAll(async () => {
  ch = await openTestClickHouse();
  pg = await postgresBackends[0]!.open();
});
afterAll(async () => {
  await pg?.cleanup();
  await ch?.cleanup();
});

it("seeds a dataset, two finished runs (the second regresses) and a promotion policy that refuses the regression", async () => {
  const stores = { postgres: pg.store, clickhouse: ch.store, close: async () => undefined };
  // The inline prompts (summarize.concise/1) are registered by the gateway, as at start-up.
  await (await createGateway(stores, await loadConfigFile())).recorder.close();
  await seedEvaluationsDemo(stores, () => undefined);
  const ctx = { db: pg.store.db, clickhouse: ch.store.client };
  const runs = await listRuns(ctx);
  expect(runs.map((r) => [r.status, r.dataset?.name, r.progress.done])).toEqual([
    ["finished", DEMO_DATASET, 40],
    ["finished", DEMO_DATASET, 40],
  ]);
  const [candidate, base] = runs;
  const cmp = await compareRuns(ctx, [{ runId: base!.id }, { runId: candidate!.id }]);
  const faithful = cmp.comparisons[0]!.evaluators.find((e) => e.evaluator === "faithful")!;
  expect(faithful).toMatchObject({ significantRegression: true, regressions: 25, improvements: 0 });
  expect(cmp.rows[0]!.kind).toBe("regression");

  const gate = await evaluateGate(ctx.db, await loadConfigFile(), { name: "summarize.concise", alias: "production", version: 2 });
  expect(gate.verdict).toBe("fail");
  expect(gate.message).toMatch(/refuses moving production of summarize.concise to version 2: faithful\/mean >= 0.8 failed/);
});
