import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postgresBackends } from "@/db/test/postgres";
import { ensurePromptVersion, setAlias } from "@/lib/registry/repo.server";
import { openTestStores, startTestGateway, type TestGateway, type TestStores } from "./testing/harness";

const CONFIG = `
[providers.echo]
type = "dummy"
latency_ms = 0
ttft_ms = 0

[models.m]
routing = [{ provider = "echo" }]

[functions.ask.variants.registry]
model = "m"
prompt = "prompts:/shared-prompt@production"

[functions.ask.variants.inline]
model = "m"
weight = 0
system = "Inline {{topic}}"
`;

describe.each(postgresBackends)("variants served from the prompt registry on $name", (backend) => {
  let env: TestStores;
  let gw: TestGateway;
  beforeAll(async () => {
    env = await openTestStores(backend);
    await ensurePromptVersion(env.stores.postgres.db, { name: "shared-prompt", template: "Tell me about {{topic}}" });
    await ensurePromptVersion(env.stores.postgres.db, { name: "shared-prompt", template: "Explain {{topic}} simply" });
    await setAlias(env.stores.postgres.db, "shared-prompt", "production", 1);
    gw = await startTestGateway(env.stores, CONFIG, { promptRefTtlMs: 0 });
  });
  afterAll(async () => {
    await gw?.close();
    await env?.cleanup();
  });

  const ask = () =>
    gw.gateway.infer({ functionName: "ask", variant: "registry", variables: { topic: "tides" } }, { signal: new AbortController().signal });

  it("follows an alias at request time: moving it in the registry changes what is served next", async () => {
    expect(await ask()).toMatchObject({ promptVersion: "shared-prompt/1", output: { content: "Echo: Tell me about tides" } });
    await setAlias(env.stores.postgres.db, "shared-prompt", "production", 2);
    expect(await ask()).toMatchObject({ promptVersion: "shared-prompt/2", output: { content: "Echo: Explain tides simply" } });
  });

  it("refuses with 422 when the alias points nowhere, naming the reference", async () => {
    const broken = await startTestGateway(env.stores, CONFIG.replace("@production", "@staging"), { promptRefTtlMs: 0 });
    const error = await broken.gateway
      .infer({ functionName: "ask", variant: "registry", variables: { topic: "x" } }, { signal: new AbortController().signal })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 422, message: expect.stringMatching(/prompts:\/shared-prompt@staging does not exist/) });
    await broken.close();
  });

  it("registers inline templates as chat prompt versions named after function and variant", async () => {
    const result = await gw.gateway.infer(
      { functionName: "ask", variant: "inline", variables: { topic: "x" } },
      { signal: new AbortController().signal },
    );
    expect(result.promptVersion).toBe("ask.inline/1");
  });
});
