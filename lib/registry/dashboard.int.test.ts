import { randomUUID } from "node:crypto";
import { beforeAll, expect, it } from "vitest";
import { describeTracking } from "@/db/test/tracking";
import { DEMO_MODEL, DEMO_PROMPT, seedTracking } from "@/lib/demo/tracking.server";
import { parseConfig } from "@/lib/gateway/config";
import type { InferenceRow } from "@/lib/inference/tables";
import { listRegistry, loadRegistered, moveAlias } from "./dashboard.server";

const config = parseConfig(`
[providers.dummy]
type = "dummy"
[models.small]
routing = [{ provider = "dummy" }]
[functions.summarize.variants.prod]
model = "small"
prompt = "prompts:/${DEMO_PROMPT}@production"
[functions.summarize.variants.next]
model = "small"
prompt = "prompts:/${DEMO_PROMPT}/3"
`);

describeTracking("registry pages", (stores) => {
  beforeAll(async () => {
    await seedTracking(stores().ctx);
  }, 120_000);

  it("lists prompts and models apart, with aliases and latest versions", async () => {
    const { ctx } = stores();
    const prompts = await listRegistry(ctx, { kind: "prompts", q: "" });
    expect(prompts.entries.map((e) => e.name)).toContain(DEMO_PROMPT);
    expect(prompts.entries.map((e) => e.name)).not.toContain(DEMO_MODEL);
    const models = await listRegistry(ctx, { kind: "models", q: "SENTIMENT" });
    expect(models.entries).toEqual([
      expect.objectContaining({
        name: DEMO_MODEL,
        latestVersion: 2,
        aliases: [
          { alias: "production", version: 1 },
          { alias: "staging", version: 2 },
        ],
      }),
    ]);
    expect((await listRegistry(ctx, { kind: "models", q: "nothing-like-this" })).entries).toEqual([]);
  });

  it("shows prompt versions with variables, source runs, configured and observed serving", async () => {
    const { ctx } = stores();
    const row: InferenceRow = {
      id: randomUUID(),
      episode_id: randomUUID(),
      function_name: "summarize",
      variant_name: "prod",
      model_name: "small",
      provider_name: "dummy",
      prompt_version: `${DEMO_PROMPT}/2`,
      input: "{}",
      output: "{}",
      input_tokens: 1,
      output_tokens: 1,
      cost: 0,
      latency_ms: 5,
      ttft_ms: null,
      status: "ok",
      error: "",
      cached: false,
      streamed: false,
      tags: {},
      timestamp: new Date().toISOString().replace("T", " ").replace("Z", ""),
    };
    await ctx.clickhouse.insert({ table: "inferences", values: [row, { ...row, id: randomUUID() }], format: "JSONEachRow" });
    const prompt = await loadRegistered(ctx, "prompts", DEMO_PROMPT, async () => config);
    expect(prompt.kind).toBe("prompts");
    expect(prompt.versions.map((v) => v.version)).toEqual([3, 2, 1]);
    const [v3, v2, v1] = prompt.versions;
    expect(v3?.variables).toEqual(["max_words", "product", "ticket"]);
    expect(v3?.servedBy).toEqual([{ functionName: "summarize", variantName: "next", via: `prompts:/${DEMO_PROMPT}/3` }]);
    expect(v2?.servedBy).toEqual([{ functionName: "summarize", variantName: "prod", via: `prompts:/${DEMO_PROMPT}@production` }]);
    // Both Postgres backends share this file's ClickHouse, so the second sees the first's rows too.
    expect(v2?.observed).toEqual([expect.objectContaining({ functionName: "summarize", variantName: "prod" })]);
    expect(v2?.observed[0]?.inferences).toBeGreaterThanOrEqual(2);
    expect(Date.now() - (v2?.observed[0]?.lastSeen ?? 0)).toBeLessThan(60_000);
    expect(v1?.servedBy).toEqual([]);
    expect(v1?.run?.runName).toBe("eval-v1");
    expect(v1?.template).toContain("{{ticket}}");
    expect(prompt.servingNote).toBeNull();
    const failing = await loadRegistered(ctx, "prompts", DEMO_PROMPT, () => Promise.reject(new Error("bad toml")));
    expect(failing.servingNote).toMatch(/bad toml/);
  });

  it("moves an alias and rejects reserved names and missing versions with a 4xx", async () => {
    const { ctx } = stores();
    expect((await moveAlias(ctx, DEMO_MODEL, "production", 2)).aliases).toEqual([
      { alias: "production", version: 2 },
      { alias: "staging", version: 2 },
    ]);
    await expect(moveAlias(ctx, DEMO_MODEL, "latest", 1)).rejects.toMatchObject({ status: 400 });
    await expect(moveAlias(ctx, DEMO_MODEL, "production", 99)).rejects.toMatchObject({ status: 404 });
    await expect(loadRegistered(ctx, "models", "no-such-model", async () => config)).rejects.toMatchObject({ status: 404 });
  });
});
