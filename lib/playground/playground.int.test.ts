import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appendItems } from "@/lib/datasets/service.server";
import { getDatasetVersion, getDatasetVersions } from "@/lib/datasets/store.server";
import { openTestStores, rows, startTestGateway, type TestGateway, type TestStores } from "@/lib/gateway/testing/harness";
import { createPromptVersion, createRegistered, deleteRegistered, describeRegistered, variantsServing } from "@/lib/registry/editor.server";
import { getPromptVersion } from "@/lib/registry/repo.server";
import type { TrackingContext } from "@/lib/tracking/context";
import { playgroundCatalog, resolveTarget, runPlayground } from "./service.server";
import type { PlaygroundEvent } from "./schemas";

const CONFIG = `
[providers.dummy]
type = "dummy"
latency_ms = 30
ttft_ms = 5
[models.small]
routing = [{ provider = "dummy", model = "small-1" }]
price = { input = 1.0, output = 2.0 }
[functions.greet.variants.plain]
model = "small"
system = "You greet people."
user = "Greet {{name}}"
temperature = 0.3
`;

describe("prompt editor, dataset append and playground", () => {
  let env: TestStores;
  let gw: TestGateway;
  let ctx: TrackingContext;
  beforeAll(async () => {
    env = await openTestStores();
    gw = await startTestGateway(env.stores, CONFIG);
    ctx = { db: env.stores.postgres.db, clickhouse: env.stores.clickhouse.client };
  }, 120_000);
  afterAll(async () => {
    await gw?.close();
    await env?.cleanup();
  });

  it("saves a new prompt version with its commit message, and an unchanged template names the existing version", async () => {
    await createRegistered(ctx, { kind: "prompts", name: "welcome", template: { user: "Hello {{name}}" } });
    const v2 = await createPromptVersion(ctx, "welcome", { system: "Be brief.", user: "Hello {{name}} from {{city}}" }, "Add the city");
    expect(v2).toEqual({ name: "welcome", version: 2, created: true });
    const stored = await getPromptVersion(ctx.db, { name: "welcome", version: 2 });
    expect(JSON.parse(stored!.template)).toEqual([
      { role: "system", content: "Be brief." },
      { role: "user", content: "Hello {{name}} from {{city}}" },
    ]);
    const again = await createPromptVersion(ctx, "welcome", { system: "Be brief.", user: "Hello {{name}} from {{city}}" }, "Same again");
    expect(again).toEqual({ name: "welcome", version: 2, created: false });
    await expect(createPromptVersion(ctx, "welcome", { text: "" }, "empty")).rejects.toThrow(/empty/);
    await expect(createPromptVersion(ctx, "nope", { text: "x" }, "m")).rejects.toMatchObject({ code: "not_found" });
  });

  it("creates, describes and deletes a registered model, refusing to delete a prompt a variant serves", async () => {
    await createRegistered(ctx, { kind: "models", name: "scorer" });
    await expect(createRegistered(ctx, { kind: "models", name: "scorer" })).rejects.toMatchObject({ code: "conflict" });
    expect(await describeRegistered(ctx, "scorer", "Scores answers")).toEqual({
      kind: "models",
      name: "scorer",
      description: "Scores answers",
    });
    expect(variantsServing(gw.gateway.config, "greet.plain")).toEqual(["greet/plain"]);
    await expect(deleteRegistered(ctx, "greet.plain", ["greet/plain"])).rejects.toMatchObject({ code: "conflict" });
    await deleteRegistered(ctx, "scorer", []);
    await expect(describeRegistered(ctx, "scorer", "x")).rejects.toMatchObject({ code: "not_found" });
  });

  it("appends items to a dataset's latest version, losing none under concurrent saves", async () => {
    const item = (n: number) => ({ input: { variables: { name: `n${n}` } } });
    const first = await appendItems(ctx, { name: "tries", items: [item(0)] });
    expect(first).toMatchObject({ version: 1, itemCount: 1 });
    await Promise.all([1, 2, 3, 4].map((n) => appendItems(ctx, { name: "tries", items: [item(n)] })));
    const versions = await getDatasetVersions(ctx, "tries");
    expect(versions.map((v) => v.itemCount)).toEqual([5, 4, 3, 2, 1]);
    const latest = await getDatasetVersion(ctx, "tries", 5);
    expect(new Set(latest.items.map((i) => JSON.parse(i.input).variables.name)).size).toBe(5);
  });

  it("lists variants with their variables and runs a variant and a prompt version, streamed, recorded and tagged", async () => {
    const catalog = await playgroundCatalog(ctx.db, gw.gateway.config);
    expect(catalog.functions[0]!.variants[0]).toMatchObject({
      name: "plain",
      model: "small",
      variables: ["name"],
      params: { temperature: 0.3 },
    });

    const collect = async (target: Parameters<typeof resolveTarget>[3]) => {
      const resolved = await resolveTarget(ctx.db, gw.gateway.config, "greet", target);
      const events: PlaygroundEvent[] = [];
      const gateway = resolved.config === gw.gateway.config ? gw.gateway : gw.gateway.withConfig(resolved.config);
      for await (const e of runPlayground({
        gateway,
        functionName: "greet",
        variant: resolved.variant,
        variables: { name: "Ada", city: "Paris" },
        signal: new AbortController().signal,
      })) {
        events.push(e);
      }
      return events;
    };
    const plain = await collect({ variant: "plain" });
    expect(plain[0]).toMatchObject({ type: "start", variant: "plain", model: "small" });
    expect(plain.filter((e) => e.type === "delta").length).toBeGreaterThan(0);
    const done = plain.at(-1)!;
    expect(done.type).toBe("done");
    if (done.type !== "done") return;
    expect(done.cost).toBeCloseTo((done.inputTokens * 1 + done.outputTokens * 2) / 1e6, 12);

    const tried = await collect({ prompt: "welcome/2" });
    expect(tried[0]).toMatchObject({ type: "start", variant: "playground.welcome.2", promptVersion: "welcome/2" });
    await expect(resolveTarget(ctx.db, gw.gateway.config, "greet", { prompt: "welcome/9" })).rejects.toMatchObject({ code: "not_found" });
    await expect(resolveTarget(ctx.db, gw.gateway.config, "greet", { variant: "zzz" })).rejects.toMatchObject({ code: "not_found" });

    await gw.gateway.recorder.flush();
    const recorded = await rows<{ variant_name: string; source: string; cost: number }>(
      env.stores,
      "SELECT variant_name, tags['llmops.source'] AS source, cost FROM inferences ORDER BY timestamp",
    );
    expect(recorded.map((r) => [r.variant_name, r.source])).toEqual([
      ["plain", "playground"],
      ["playground.welcome.2", "playground"],
    ]);
    expect(Number(recorded[0]!.cost)).toBeCloseTo(done.cost, 12);
  });
});
