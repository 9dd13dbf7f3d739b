import OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { openTestStores, startTestGateway, type TestGateway, type TestStores } from "./testing/harness";
import { json, openaiAnswer, startUpstream, type Upstream } from "./testing/upstream";

/** The rest of the OpenAI surface, with the official SDK: unknown paths, models by id. */
const config = (upstream: string) => `
[providers.up]
type = "openai"
base_url = "${upstream}/v1"
max_retries = 0

[models.gpt]
routing = [{ provider = "up", model = "gpt-upstream" }]
price = { input = 2.0, output = 8.0 }

[functions.chat.variants.main]
model = "gpt"
`;

describe("the OpenAI surface beyond chat", () => {
  let env: TestStores;
  let upstream: Upstream;
  let gw: TestGateway;
  let client: OpenAI;
  beforeAll(async () => {
    env = await openTestStores();
    upstream = await startUpstream((req, res) => json(res, 200, openaiAnswer(req.body)));
    gw = await startTestGateway(env.stores, config(upstream.url));
    client = new OpenAI({ baseURL: `${gw.url}/openai/v1`, apiKey: "unused", maxRetries: 0 });
  });
  beforeEach(() => {
    upstream.requests.length = 0;
    upstream.setBehaviour((req, res) => json(res, 200, openaiAnswer(req.body)));
  });
  afterAll(async () => {
    await gw?.close();
    await upstream?.close();
    await env?.cleanup();
  });

  it("answers paths it does not serve with an OpenAI-shaped JSON 404, and wrong methods with a 405", async () => {
    const error = await client.completions.create({ model: "model::gpt", prompt: "hi" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect((error as InstanceType<typeof OpenAI.NotFoundError>).message).toMatch(/Invalid URL \/openai\/v1\/completions/);
    for (const [method, path, status] of [
      ["GET", "/openai/v1/chat/completions", 405],
      ["DELETE", "/openai/v1/models", 405],
      ["POST", "/openai/v1/models/model::gpt", 405],
      ["GET", "/openai/v1", 404],
      ["POST", "/openai/v1/audio/speech", 404],
      ["GET", "/openai/v1/files/abc/content", 404],
    ] as const) {
      const response = await fetch(`${gw.url}${path}`, { method });
      expect(response.status, `${method} ${path}`).toBe(status);
      expect(response.headers.get("content-type")).toBe("application/json");
      const body = (await response.json()) as { error: { message: string; type: string } };
      expect(body.error.message).toBeTruthy();
      if (status === 405) expect(response.headers.get("allow")).toBeTruthy();
    }
  });

  it("retrieves a model by id, and 404s an unknown one", async () => {
    expect(await client.models.retrieve("function::chat")).toMatchObject({ id: "function::chat", object: "model", owned_by: "llmops" });
    expect(await client.models.retrieve("model::gpt")).toMatchObject({ id: "model::gpt" });
    expect(await client.models.retrieve("gpt")).toMatchObject({ id: "gpt" });
    const error = await client.models.retrieve("model::nope").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
  });
});
