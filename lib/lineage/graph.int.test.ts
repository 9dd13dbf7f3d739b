import { beforeAll, expect, it } from "vitest";
import { z } from "zod";
import { emptyReply } from "@/db/test/mlflow";
import { describeTracking } from "@/db/test/tracking";
import { wireRun } from "@/lib/mlflow/entities";
import { IS_PROMPT_TAG, PROMPT_ASSOCIATED_RUN_IDS_TAG, PROMPT_TEXT_TAG } from "@/lib/registry/prompts";
import { recordEdges } from "./edges.server";
import { lineageGraph } from "./graph.server";
import { LINEAGE_KINDS } from "@/lib/lineage-kinds.server";
import type { KindHandler } from "./types";
import type { NodeKind } from "./nodes";
import { lineageQuery } from "./schemas";

const runReply = z.object({ run: wireRun });
const anyReply = z.object({}).passthrough();

describeTracking("lineage graph", (stores) => {
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    const { client, ctx } = stores();
    const experiment = (await client.ok("POST", "/experiments/create", { name: "lineage" }, z.object({ experiment_id: z.string() })))
      .experiment_id;
    ids.experiment = experiment;
    const run = async (name: string, tags: { key: string; value: string }[] = []) =>
      (await client.ok("POST", "/runs/create", { experiment_id: experiment, run_name: name, tags }, runReply)).run.info.run_id;
    ids.parent = await run("parent");
    ids.child = await run("child", [{ key: "mlflow.parentRunId", value: ids.parent }]);
    ids.evaluation = await run("evaluation", [{ key: "mlflow.linkedPrompts", value: JSON.stringify([{ name: "qa", version: "1" }]) }]);
    ids.other = await run("other");
    await client.ok(
      "POST",
      "/runs/log-inputs",
      { run_id: ids.child, datasets: [{ dataset: { name: "wine", digest: "d1", source_type: "local", source: "{}" } }] },
      emptyReply,
    );
    await client.ok("POST", "/registered-models/create", { name: "clf" }, anyReply);
    await client.ok("POST", "/model-versions/create", { name: "clf", source: "s3://clf", run_id: ids.child }, anyReply);
    await client.ok("POST", "/registered-models/create", { name: "qa", tags: [{ key: IS_PROMPT_TAG, value: "true" }] }, anyReply);
    await client.ok(
      "POST",
      "/model-versions/create",
      {
        name: "qa",
        source: "dummy-source",
        tags: [
          { key: PROMPT_TEXT_TAG, value: "Q: {{ q }}" },
          { key: PROMPT_ASSOCIATED_RUN_IDS_TAG, value: `${ids.other}` },
        ],
      },
      anyReply,
    );
    // What the gateway writes for its config: function → variant → prompt version.
    await recordEdges(ctx.db, [
      { src: { kind: "function", id: "answer" }, relation: "has_variant", dst: { kind: "variant", id: "answer/concise" } },
      { src: { kind: "variant", id: "answer/concise" }, relation: "uses", dst: { kind: "prompt_version", id: "qa/1" } },
    ]);
  });

  const graph = (node: string, depth = 1, maxNodes = 100, handlers: Partial<Record<NodeKind, KindHandler>> = LINEAGE_KINDS) =>
    lineageGraph(stores().ctx, { root: lineageQuery.parse({ node }).node, depth, maxNodes }, handlers);

  it("links parent and child runs, the run's dataset, experiment and model version, with labels and links", async () => {
    const g = await graph(`run:${ids.child}`);
    expect(g.root).toBe(`run:${ids.child}`);
    expect(g.truncated).toBe(false);
    expect(new Set(g.edges)).toEqual(
      new Set([
        { source: `run:${ids.parent}`, target: `run:${ids.child}`, relation: "parent_of" },
        { source: `run:${ids.child}`, target: expect.stringMatching(/^dataset:[0-9a-f]{32}$/), relation: "used_dataset" },
        { source: "model_version:clf/1", target: `run:${ids.child}`, relation: "source_run" },
        { source: `run:${ids.child}`, target: `experiment:${ids.experiment}`, relation: "in_experiment" },
      ]),
    );
    const byId = new Map(g.nodes.map((n) => [n.id, n]));
    expect(byId.get(`run:${ids.parent}`)).toEqual({
      id: `run:${ids.parent}`,
      kind: "run",
      key: ids.parent,
      label: "parent",
      href: `/experiments/${ids.experiment}/runs/${ids.parent}`,
    });
    expect(byId.get("model_version:clf/1")).toMatchObject({ label: "clf v1", href: "/registry/models/clf/versions/1" });
    expect(byId.get(`experiment:${ids.experiment}`)).toMatchObject({ label: "lineage" });
    expect(g.nodes.find((n) => n.kind === "dataset")).toMatchObject({ label: "wine (d1)" });
  });

  it("links prompt versions to the runs that used them and to the gateway's variants", async () => {
    const g = await graph("prompt_version:qa/1");
    expect(g.edges).toEqual(
      expect.arrayContaining([
        { source: "prompt_version:qa/1", target: `run:${ids.evaluation}`, relation: "used_by" },
        { source: "prompt_version:qa/1", target: `run:${ids.other}`, relation: "used_by" },
        { source: "variant:answer/concise", target: "prompt_version:qa/1", relation: "uses" },
      ]),
    );
    expect(g.nodes.find((n) => n.id === "prompt_version:qa/1")).toMatchObject({ label: "qa v1", href: "/registry/prompts/qa/versions/1" });
    // The gateway's variant handler knows only configured variants: this one is flagged missing.
    expect(g.nodes.find((n) => n.id === "variant:answer/concise")).toEqual({
      id: "variant:answer/concise",
      kind: "variant",
      key: "answer/concise",
      label: "answer/concise",
      missing: true,
    });
  });

  it("walks at most `depth` hops and at most `limit` nodes", async () => {
    const one = await graph("function:answer", 1);
    expect(one.nodes.map((n) => n.id).sort()).toEqual(["function:answer", "variant:answer/concise"]);
    const three = await graph("function:answer", 3);
    expect(three.nodes.map((n) => n.id)).toEqual(expect.arrayContaining([`run:${ids.evaluation}`, `run:${ids.other}`]));
    const capped = await graph("function:answer", 3, 3);
    expect(capped.nodes).toHaveLength(3);
    expect(capped.truncated).toBe(true);
    for (const edge of capped.edges) expect(capped.nodes.map((n) => n.id)).toEqual(expect.arrayContaining([edge.source, edge.target]));
  });

  it("takes new kinds through the handler table, e.g. inferences read from ClickHouse", async () => {
    const handlers: Partial<Record<NodeKind, KindHandler>> = {
      ...LINEAGE_KINDS,
      variant: {
        expand: async (_ctx, variantIds, limit) =>
          variantIds
            .flatMap((id) =>
              ["inf-1", "inf-2"].map((inference) => ({
                src: { kind: "inference" as const, id: inference },
                relation: "served_by",
                dst: { kind: "variant" as const, id },
              })),
            )
            .slice(0, limit),
      },
      inference: {
        describe: async (_ctx, inferenceIds) =>
          new Map(inferenceIds.map((id) => [id, { label: `Inference ${id}`, href: `/inferences/${id}` }])),
      },
    };
    const g = await graph("variant:answer/concise", 1, 100, handlers);
    expect(g.nodes.find((n) => n.id === "inference:inf-2")).toMatchObject({ label: "Inference inf-2", href: "/inferences/inf-2" });
    expect(g.edges).toContainEqual({ source: "inference:inf-1", target: "variant:answer/concise", relation: "served_by" });
  });

  it("flags nodes that no longer exist, and follows a prompt's rename", async () => {
    const gone = await graph(`run:${"0".repeat(32)}`);
    expect(gone.nodes).toEqual([{ id: `run:${"0".repeat(32)}`, kind: "run", key: "0".repeat(32), label: "0".repeat(32), missing: true }]);
    await stores().client.ok("POST", "/registered-models/rename", { name: "qa", new_name: "qa2" }, anyReply);
    const renamed = await graph("prompt_version:qa2/1");
    expect(renamed.edges).toContainEqual({ source: "variant:answer/concise", target: "prompt_version:qa2/1", relation: "uses" });
    expect((await graph("prompt_version:qa/1")).edges).toEqual([]);
  });

  it("validates the query: node address, depth and limit", () => {
    expect(lineageQuery.safeParse({ node: "run" }).error?.issues[0]?.message).toMatch(/^"run" is not a lineage node; write KIND:ID/);
    expect(lineageQuery.safeParse({ node: "planet:x" }).success).toBe(false);
    expect(lineageQuery.safeParse({ node: "run:x", depth: "6" }).success).toBe(false);
    expect(lineageQuery.safeParse({ node: "run:x", limit: "0" }).success).toBe(false);
    expect(lineageQuery.parse({ node: "run:x" })).toEqual({ node: { kind: "run", id: "x" }, depth: 2, limit: 200 });
  });
});
