import { expect, it } from "vitest";
import { describeTracking } from "@/db/test/tracking";
import { toClickHouseTime } from "@/lib/inference/tables";
import { ensureRegisteredModel } from "@/lib/registry/repo.server";
import { IS_PROMPT_TAG } from "@/lib/registry/prompts";
import { overviewSummary, summaryLines } from "./summary.server";

describeTracking("the overview's counts", (stores) => {
  it("counts what each area holds, from the stores", async () => {
    const { ctx, client } = stores();
    const before = await overviewSummary(ctx);
    const created = (await client.call("POST", "/experiments/create", { name: `overview-${Math.random()}` })).json as {
      experiment_id: string;
    };
    for (let i = 0; i < 3; i++) await client.call("POST", "/runs/create", { experiment_id: created.experiment_id });
    await ensureRegisteredModel(ctx.db, `model-${Math.random()}`);
    await ensureRegisteredModel(ctx.db, `prompt-${Math.random()}`, { [IS_PROMPT_TAG]: "true" });
    const at = toClickHouseTime(new Date(Date.now() - 60 * 60 * 1000));
    await ctx.clickhouse.insert({
      table: "inferences",
      values: [0, 1, 2, 3].map((i) => ({
        id: crypto.randomUUID(),
        episode_id: crypto.randomUUID(),
        function_name: `overview_fn_${i % 2}`,
        variant_name: "v",
        status: i === 0 ? "error" : "ok",
        timestamp: at,
      })),
      format: "JSONEachRow",
    });

    const after = await overviewSummary(ctx);
    expect(after.experiments).toEqual({ experiments: before.experiments!.experiments + 1, runs: before.experiments!.runs + 3 });
    expect(after.registry).toEqual({ models: before.registry!.models + 1, prompts: before.registry!.prompts + 1 });
    expect(after.gateway!.inferences24h - before.gateway!.inferences24h).toBe(4);
    expect(after.gateway!.errors24h - before.gateway!.errors24h).toBe(1);
    expect(after.gateway!.functions).toBeGreaterThanOrEqual(2);
    expect(after.labelling).toEqual({ queues: 0, labels: 0 });
    expect(summaryLines(after)["/experiments"]).toMatch(/^\d+ experiments · \d+ runs$/);
  });
});
