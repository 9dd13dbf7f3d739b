import { beforeAll, expect, it } from "vitest";
import { z } from "zod";
import { insertTestInferences } from "@/db/test/inferences";
import { describeTracking } from "@/db/test/tracking";
import { LINEAGE_KINDS } from "@/lib/lineage-kinds.server";
import { lineageGraph } from "@/lib/lineage/graph.server";
import { claimNext, submitLabels } from "./claims.server";
import { getDatasetVersion, getDatasetVersions } from "@/lib/datasets/store.server";
import { saveDataset } from "./datasets.server";
import { createQueue } from "./queues.server";
import type { LabellingContext } from "./sql.server";

const fields = [
  { key: "good", type: "boolean" as const },
  { key: "fix", type: "correction" as const },
];

async function labelNext(ctx: LabellingContext, queueId: string, reviewer: string, values: Record<string, boolean | string>) {
  const { item } = await claimNext(ctx, { queueId, reviewer });
  if (!item) throw new Error("queue is empty");
  await submitLabels(ctx, { queueId, claimId: item.claimId, reviewer, values });
  return item;
}

let inserted = false;

describeTracking("datasets from labels", (stores) => {
  beforeAll(async () => {
    // One ClickHouse per file, shared by both Postgres backends: insert the log once.
    if (!inserted) await insertTestInferences(stores().ctx.clickhouse, { count: 6, functionName: "answer" });
    inserted = true;
  });

  it("saves corrected and good items as immutable, content-addressed versions, usable as an MLflow run input, with lineage queue → dataset → run", async () => {
    const ctx = stores().ctx;
    const queue = await createQueue(ctx, { name: `qa-${Math.random().toString(36).slice(2, 8)}`, fields, filter: { function: "answer" } });
    const first = await labelNext(ctx, queue.id, "ann", { good: false, fix: "The right answer" });
    const second = await labelNext(ctx, queue.id, "ann", { good: true });
    await labelNext(ctx, queue.id, "ann", { good: false });

    const v1 = await saveDataset(ctx, { queueId: queue.id, name: "qa-set" });
    expect(v1).toMatchObject({
      name: "qa-set",
      version: 1,
      itemCount: 2,
      existing: false,
      mlflow: { source_type: "llmops", digest: v1.digest },
    });
    expect(v1.digest).toMatch(/^[0-9a-f]{16}$/);
    const again = await saveDataset(ctx, { queueId: queue.id, name: "qa-set" });
    expect(again).toMatchObject({ version: 1, existing: true, digest: v1.digest });

    const full = await getDatasetVersion(ctx, "qa-set", 1);
    expect(full.items.map((i) => [i.inferenceId, i.expectedOutput])).toEqual([
      [first.inferenceId, "The right answer"],
      [second.inferenceId, `Summary ${parseInt(second.inferenceId.slice(-12), 16)}`],
    ]);
    expect(JSON.parse(full.items[0]!.input)).toHaveProperty("messages");

    await labelNext(ctx, queue.id, "ann", { good: true });
    const v2 = await saveDataset(ctx, { queueId: queue.id, name: "qa-set" });
    expect(v2).toMatchObject({ version: 2, itemCount: 3, existing: false });
    expect(v2.digest).not.toBe(v1.digest);
    expect((await getDatasetVersions(ctx, "qa-set")).map((v) => v.version)).toEqual([2, 1]);
    // Version 1 is unchanged by version 2.
    expect((await getDatasetVersion(ctx, "qa-set", 1)).items).toHaveLength(2);

    // A run in another experiment logs version 2 through MLflow's log-inputs, as a client would.
    const client = stores().client;
    const { experiment_id } = await client.ok(
      "POST",
      "/experiments/create",
      { name: `eval-${queue.id}` },
      z.object({ experiment_id: z.string() }),
    );
    const { run } = await client.ok(
      "POST",
      "/runs/create",
      { experiment_id, start_time: Date.now() },
      z.object({ run: z.object({ info: z.object({ run_id: z.string() }) }) }),
    );
    const { uuid: _uuid, ...dataset } = v2.mlflow;
    await client.ok(
      "POST",
      "/runs/log-inputs",
      { run_id: run.info.run_id, datasets: [{ dataset, tags: [{ key: "mlflow.data.context", value: "eval" }] }] },
      z.object({}),
    );

    const graph = await lineageGraph(ctx, { root: { kind: "run", id: run.info.run_id }, depth: 2, maxNodes: 50 }, LINEAGE_KINDS);
    const datasetEdge = graph.edges.find((e) => e.source === `run:${run.info.run_id}` && e.relation === "used_dataset");
    expect(datasetEdge).toBeDefined();
    expect(graph.edges).toContainEqual({ source: `queue:${queue.id}`, target: datasetEdge!.target, relation: "labelled_into" });
    expect(graph.nodes.find((n) => n.id === `queue:${queue.id}`)).toMatchObject({
      label: `queue ${queue.name}`,
      href: `/labelling/${queue.id}`,
    });

    // The labels behind the version's items: label → dataset → run.
    const labelEdges = graph.edges.filter((e) => e.source.startsWith("label:") && e.target === datasetEdge!.target);
    expect(labelEdges).toHaveLength(4);
    expect(
      graph.nodes
        .filter((n) => n.kind === "label")
        .map((n) => n.label)
        .sort(),
    ).toEqual(["ann: fix = The right answer", "ann: good = no", "ann: good = yes", "ann: good = yes"]);
    const fromLabel = await lineageGraph(
      ctx,
      {
        root: { kind: "label", id: labelEdges[0]!.source.slice("label:".length) },
        depth: 1,
        maxNodes: 50,
      },
      LINEAGE_KINDS,
    );
    const relations = fromLabel.edges.map((e) => e.relation);
    expect(new Set(relations)).toEqual(new Set(["in_queue", "labelled_into", "labels"]));
    // v2 in experiment 0 and in the run's experiment, at least.
    expect(relations.filter((r) => r === "labelled_into").length).toBeGreaterThanOrEqual(2);
    expect(fromLabel.edges).toContainEqual({ source: labelEdges[0]!.source, target: datasetEdge!.target, relation: "labelled_into" });

    // And from the queue, both registrations of the saved versions are reached.
    const fromQueue = await lineageGraph(ctx, { root: { kind: "queue", id: queue.id }, depth: 2, maxNodes: 50 }, LINEAGE_KINDS);
    expect(fromQueue.edges.filter((e) => e.relation === "labelled_into" && e.source.startsWith("queue:"))).toHaveLength(3);
    expect(fromQueue.nodes.some((n) => n.id === `run:${run.info.run_id}`)).toBe(true);
    expect(fromQueue.edges).toContainEqual({ source: "function:answer", target: `queue:${queue.id}`, relation: "reviewed_in" });
  });

  it("says what is wrong when nothing qualifies or the rule names a text field", async () => {
    const ctx = stores().ctx;
    const queue = await createQueue(ctx, {
      name: `empty-${Math.random().toString(36).slice(2, 8)}`,
      fields,
      filter: { function: "answer" },
    });
    await expect(saveDataset(ctx, { queueId: queue.id, name: "nothing" })).rejects.toThrow(/No labelled item qualifies/);
    await expect(saveDataset(ctx, { queueId: queue.id, name: "nothing", good: { field: "fix" } })).rejects.toThrow(/boolean or score/);
    await expect(createQueue(ctx, { name: "none", fields, filter: { function: "missing" } })).rejects.toThrow(/No inferences match/);
  });
});
