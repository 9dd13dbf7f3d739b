import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LINEAGE_KINDS } from "@/lib/lineage-kinds.server";
import { lineageGraph } from "@/lib/lineage/graph.server";
import { openTestStores, startTestGateway, type TestGateway, type TestStores } from "./testing/harness";

// The handlers read the config file the app reads (llmops.toml here), so the test uses it too.
const CONFIG = readFileSync("llmops.toml", "utf8");

describe("the gateway's lineage: function → variant → prompt version, inference → variant", () => {
  let env: TestStores;
  let gw: TestGateway;
  let inferenceId: string;
  beforeAll(async () => {
    env = await openTestStores();
    gw = await startTestGateway(env.stores, CONFIG);
    const result = await gw.gateway.infer(
      { functionName: "summarize", variant: "concise", variables: { customer: "A", ticket: "T" } },
      { signal: new AbortController().signal },
    );
    inferenceId = result.inferenceId;
    await gw.gateway.recorder.flush();
  });
  afterAll(async () => {
    await gw?.close();
    await env?.cleanup();
  });

  const ctx = () => ({ db: env.stores.postgres.db, clickhouse: env.stores.clickhouse.client });

  it("walks from a function to its variants and the prompt versions they used", async () => {
    const graph = await lineageGraph(ctx(), { root: { kind: "function", id: "summarize" }, depth: 2, maxNodes: 100 }, LINEAGE_KINDS);
    expect(graph.edges).toEqual(
      expect.arrayContaining([
        { source: "function:summarize", target: "variant:summarize/concise", relation: "has_variant" },
        { source: "function:summarize", target: "variant:summarize/detailed", relation: "has_variant" },
        { source: "variant:summarize/concise", target: "prompt_version:summarize.concise/1", relation: "uses_prompt" },
        { source: `inference:${inferenceId}`, target: "variant:summarize/concise", relation: "served_by" },
      ]),
    );
    const nodes = new Map(graph.nodes.map((n) => [n.id, n]));
    expect(nodes.get("function:summarize")).toMatchObject({ label: "summarize", href: "/functions/summarize" });
    expect(nodes.get("variant:summarize/concise")).toMatchObject({
      label: "summarize / concise",
      href: "/functions/summarize/variants/concise",
    });
    expect(nodes.get(`inference:${inferenceId}`)).toMatchObject({ href: `/inferences/${inferenceId}` });
    expect(nodes.get("prompt_version:summarize.concise/1")).toMatchObject({
      label: "summarize.concise v1",
      href: "/registry/prompts/summarize.concise/versions/1",
    });
  });

  it("walks from an inference and from a prompt version back to the variant", async () => {
    const fromInference = await lineageGraph(
      ctx(),
      { root: { kind: "inference", id: inferenceId }, depth: 1, maxNodes: 50 },
      LINEAGE_KINDS,
    );
    expect(fromInference.edges).toEqual([
      { source: `inference:${inferenceId}`, target: "variant:summarize/concise", relation: "served_by" },
    ]);
    const fromPrompt = await lineageGraph(
      ctx(),
      { root: { kind: "prompt_version", id: "summarize.concise/1" }, depth: 1, maxNodes: 50 },
      LINEAGE_KINDS,
    );
    expect(fromPrompt.edges).toEqual([
      { source: "variant:summarize/concise", target: "prompt_version:summarize.concise/1", relation: "uses_prompt" },
    ]);
  });

  it("marks unknown functions and variants as missing", async () => {
    const graph = await lineageGraph(ctx(), { root: { kind: "variant", id: "nope/x" }, depth: 1, maxNodes: 10 }, LINEAGE_KINDS);
    expect(graph.nodes.find((n) => n.id === "variant:nope/x")).toMatchObject({ missing: true });
  });
});
