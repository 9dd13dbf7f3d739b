import { readFile } from "node:fs/promises";
import path from "node:path";
import { expect, it } from "vitest";
import { describeTracking } from "@/db/test/tracking";
import { getDatasetVersion } from "@/lib/datasets/store.server";
import { getRun as getMlflowRun } from "@/lib/tracking/runs.server";
import { importPromptfooResults } from "./promptfoo-import.server";
import { listRunItems } from "./runs.server";

// results.json written by promptfoo 0.121.20 (`promptfoo eval -o results.json`) through the shipped
// provider against the built app: two tests, one failing its icontains assertion.
const fixture = path.join(import.meta.dirname, "testing/promptfoo-results.fixture.json");

describeTracking("promptfoo results import", (stores) => {
  it("imports results.json v3 as a finished run with its tests as a dataset and rows linked to their inferences", async () => {
    const ctx = stores().ctx;
    const raw = JSON.parse(await readFile(fixture, "utf8")) as unknown;
    const run = await importPromptfooResults(ctx, raw, { dataset: "pf-smoke", name: "promptfoo smoke" });
    expect(run).toMatchObject({
      status: "finished",
      source: "promptfoo",
      function: "summarize",
      name: "promptfoo smoke",
      progress: { total: 2, done: 2 },
    });
    expect(run.candidates.map((c) => c.key)).toEqual(["summarize-concise"]);
    const [summary] = run.summary;
    expect(summary).toMatchObject({
      passRate: 0.5,
      evaluators: { icontains: { n: 2, passRate: 0.5 }, cost: { passRate: 1 }, latency: { passRate: 1 } },
    });
    expect(summary!.cost.total).toBeGreaterThan(0);

    const dataset = await getDatasetVersion(ctx, "pf-smoke", 1);
    expect(dataset.items.map((i) => JSON.parse(i.input))).toEqual([
      { variables: { customer: "Ada", ticket: "My invoice was charged twice." } },
      { variables: { customer: "Ken", ticket: "The export button does nothing." } },
    ]);
    expect(dataset.items[1]!.assertions.map((a) => a.type)).toEqual(["icontains", "cost"]);

    const { items } = await listRunItems(ctx, run.id, { failures: true });
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ position: 1, passed: false, variant: "concise", promptVersion: "summarize.concise/1" });
    expect(items[0]!.inferenceId).toMatch(/^[0-9a-f-]{36}$/);

    const mlflow = await getMlflowRun({ ctx, input: { runId: run.mlflow.runIds["summarize-concise"]! } });
    expect(Object.fromEntries(mlflow.data.metrics.map((m) => [m.key, m.value]))).toMatchObject({ "icontains/mean": 0.5, pass_rate: 0.5 });
  });

  it("refuses what is not a v3 results file, saying why", async () => {
    await expect(importPromptfooResults(stores().ctx, { results: { version: 2, results: [] } })).rejects.toThrow(/schema version 3/);
    await expect(importPromptfooResults(stores().ctx, [])).rejects.toThrow(/Not a promptfoo results.json/);
  });
});
