import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { InferenceRow } from "@/lib/inference/tables";
import { openTestStores, rows, startTestGateway, type TestGateway, type TestStores } from "./testing/harness";
import { json, openaiAnswer, startUpstream, type Upstream } from "./testing/upstream";

const config = (upstream: string) => `
[providers.up]
type = "openai"
base_url = "${upstream}/v1"
max_retries = 0

[models.gpt]
routing = [{ provider = "up", model = "gpt-upstream" }]

[functions.greet.variants.main]
model = "gpt"
user = "Greet {{name}}"
`;

/** Raw JSON text, so escapes such as "\ud800" reach the server exactly as a client sent them. */
async function post(url: string, text: string) {
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: text });
  return { status: res.status, body: (await res.json()) as { error?: { message: string; param: string | null }; inference_id?: string } };
}

describe("gateway: bad input is refused before the provider is called, and never poisons the log", () => {
  let env: TestStores;
  let upstream: Upstream;
  let gw: TestGateway;
  beforeAll(async () => {
    env = await openTestStores();
    upstream = await startUpstream((req, res) => json(res, 200, openaiAnswer(req.body)));
    gw = await startTestGateway(env.stores, config(upstream.url));
  });
  beforeEach(() => {
    upstream.requests.length = 0;
  });
  afterAll(async () => {
    await gw?.close();
    await upstream?.close();
    await env?.cleanup();
  });

  it("takes JSON only as application/json: text/plain JSON (a no-cors fetch) and untyped bodies are a 415", async () => {
    const body = JSON.stringify({ function_name: "greet", input: { variables: { name: "x" } } });
    for (const path of ["/api/inference", "/openai/v1/chat/completions", "/inference", "/api/feedback"]) {
      for (const type of ["text/plain;charset=json", "application/jsonx"]) {
        const res = await fetch(`${gw.url}${path}`, { method: "POST", headers: { "content-type": type }, body });
        expect(res.status, `${path} with ${type}`).toBe(415);
        const reply = (await res.json()) as { error: string | { message: string } };
        const message = typeof reply.error === "string" ? reply.error : reply.error.message;
        expect(message).toContain(`expected content-type: application/json, got ${type}`);
      }
      const untyped = await fetch(`${gw.url}${path}`, { method: "POST", body: new TextEncoder().encode(body) });
      expect(untyped.status, `${path} without a content type`).toBe(415);
    }
    const ok = await fetch(`${gw.url}/api/inference`, {
      method: "POST",
      headers: { "content-type": "Application/JSON; charset=utf-8" },
      body,
    });
    expect(ok.status).toBe(200);
    expect(upstream.requests).toHaveLength(1);
  });

  it("refuses a 100k-deep value, even an unused template variable, with a 400 naming the limit", async () => {
    const deep = "[".repeat(100_000) + "]".repeat(100_000);
    const { status, body } = await post(
      `${gw.url}/api/inference`,
      `{"function_name":"greet","input":{"variables":{"name":"x","unused":${deep}}}}`,
    );
    expect(status).toBe(400);
    expect(body.error?.message).toMatch(/nests deeper than 64 levels/);
    expect(upstream.requests).toHaveLength(0);
  });

  it("refuses NUL and lone surrogates outside free text, naming the field", async () => {
    const tags = await post(
      `${gw.url}/api/inference`,
      '{"function_name":"greet","input":{"variables":{"name":"x"}},"tags":{"k":"\\ud800"}}',
    );
    expect(tags.status).toBe(400);
    expect(tags.body.error).toMatchObject({ param: "tags.k", message: expect.stringMatching(/lone UTF-16 surrogate/) });
    const openaiTags = await post(
      `${gw.url}/openai/v1/chat/completions`,
      '{"model":"function::greet","messages":[{"role":"user","content":"hi"}],"llmops":{"tags":{"\\u0000":"v"}}}',
    );
    expect(openaiTags.status).toBe(400);
    expect(openaiTags.body.error).toMatchObject({ param: "llmops.tags", message: expect.stringMatching(/a key contains a NUL/) });
    expect(upstream.requests).toHaveLength(0);
  });

  it("replaces NUL and lone surrogates in messages and variables with U+FFFD, and records the inference", async () => {
    const { status, body } = await post(
      `${gw.url}/api/inference`,
      '{"function_name":"greet","input":{"variables":{"name":"a\\ud800b"},"messages":[{"role":"user","content":"c\\u0000d"}]}}',
    );
    expect(status).toBe(200);
    const sent = upstream.requests[0]!.body as { messages: { content: string }[] };
    expect(sent.messages.map((m) => m.content)).toEqual(["Greet a\ufffdb", "c\ufffdd"]);
    await gw.gateway.recorder.flush();
    const [row] = await rows<InferenceRow>(env.stores, "SELECT * FROM inferences WHERE id = {id:UUID}", { id: body.inference_id });
    expect(JSON.parse(row!.input)).toMatchObject({ variables: { name: "a\ufffdb" }, messages: [{ content: "c\ufffdd" }] });
  });
});
