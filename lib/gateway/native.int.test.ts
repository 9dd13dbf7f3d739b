import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getPromptVersion } from "@/lib/registry/repo.server";
import type { InferenceRow, ModelCallRow } from "@/lib/inference/tables";
import { openTestStores, rows, startTestGateway, type TestGateway, type TestStores } from "./testing/harness";

const CONFIG = `
[providers.echo]
type = "dummy"
latency_ms = 0
ttft_ms = 0

[models.m]
routing = [{ provider = "echo", model = "echo-1" }]
price = { input = 1.0, output = 2.0 }

[functions.greet.variants.a]
model = "m"
weight = 3
system = "Be kind."
user = "Greet {{name}}"

[functions.greet.variants.b]
model = "m"
weight = 1
user = "Say hello to {{name}}"
max_tokens = 50

[functions.greet.variants.off]
model = "m"
weight = 0
user = "Never drawn {{name}}"

[functions.cached]
cache = { enabled = true, ttl_s = 600 }
[functions.cached.variants.only]
model = "m"
user = "Cached {{q}}"
`;

async function post(url: string, body: unknown) {
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  return {
    status: res.status,
    headers: res.headers,
    body: (await res.json()) as Record<string, unknown> & { error?: { message: string; type: string } },
  };
}

describe("native inference route (POST /api/inference) with the dummy provider", () => {
  let env: TestStores;
  let gw: TestGateway;
  beforeAll(async () => {
    env = await openTestStores();
    gw = await startTestGateway(env.stores, CONFIG);
  });
  afterAll(async () => {
    await gw?.close();
    await env?.cleanup();
  });

  it("answers with ids, variant and prompt version, and records the inference and its model call", async () => {
    const { status, body, headers } = await post(`${gw.url}/api/inference`, {
      function_name: "greet",
      variant_name: "a",
      input: { variables: { name: "Ada" } },
      tags: { user: "u1" },
    });
    expect(status).toBe(200);
    expect(body).toMatchObject({
      function_name: "greet",
      variant_name: "a",
      model_name: "m",
      provider_name: "echo",
      prompt_version: "greet.a/1",
      cached: false,
    });
    expect(body.output).toEqual({ content: "Echo: Greet Ada", finish_reason: "stop" });
    expect(headers.get("x-llmops-inference-id")).toBe(body.inference_id);
    expect(headers.get("x-llmops-episode-id")).toBe(body.episode_id);
    expect(headers.get("x-llmops-variant")).toBe("a");

    await gw.gateway.recorder.flush();
    const [row] = await rows<InferenceRow>(env.stores, "SELECT * FROM inferences WHERE id = {id:UUID}", { id: body.inference_id });
    const usage = body.usage as { input_tokens: number; output_tokens: number };
    expect(row).toMatchObject({
      episode_id: body.episode_id,
      function_name: "greet",
      variant_name: "a",
      prompt_version: "greet.a/1",
      status: "ok",
      cached: false,
      tags: { user: "u1" },
    });
    expect(row!.input_tokens).toBe(usage.input_tokens);
    expect(row!.output_tokens).toBe(usage.output_tokens);
    expect(row!.cost).toBeCloseTo((usage.input_tokens * 1 + usage.output_tokens * 2) / 1e6, 12);
    expect(JSON.parse(row!.output)).toEqual(body.output);
    expect(JSON.parse(row!.input)).toEqual({ messages: [], variables: { name: "Ada" } });
    const calls = await rows<ModelCallRow>(env.stores, "SELECT * FROM model_calls WHERE inference_id = {id:UUID}", {
      id: body.inference_id,
    });
    expect(calls).toHaveLength(1);
    expect(JSON.parse(calls[0]!.request)).toMatchObject({
      model: "echo-1",
      messages: [
        { role: "system", content: "Be kind." },
        { role: "user", content: "Greet Ada" },
      ],
    });
  });

  it("registers inline templates as prompt versions, content-hashed across restarts", async () => {
    const version = await getPromptVersion(env.stores.postgres.db, { name: "greet.a", version: 1 });
    expect(JSON.parse(version!.template)).toEqual([
      { role: "system", content: "Be kind." },
      { role: "user", content: "Greet {{name}}" },
    ]);
    const again = await startTestGateway(env.stores, CONFIG);
    await again.close();
    expect(await getPromptVersion(env.stores.postgres.db, { name: "greet.a", version: 2 })).toBeUndefined();
    const edited = await startTestGateway(env.stores, CONFIG.replace("Be kind.", "Be very kind."));
    const { body } = await post(`${edited.url}/api/inference`, {
      function_name: "greet",
      variant_name: "a",
      input: { variables: { name: "Bo" } },
    });
    expect(body.prompt_version).toBe("greet.a/2");
    await edited.close();
  });

  it("refuses bad requests with 4xx and a message that says what is wrong", async () => {
    const cases: [unknown, number, RegExp][] = [
      [{ function_name: "nope", input: {} }, 404, /unknown function "nope"; configured functions: greet, cached/],
      [
        { function_name: "greet", variant_name: "zz", input: { variables: { name: "x" } } },
        404,
        /no variant "zz"; its variants: a, b, off/,
      ],
      [{ function_name: "greet", variant_name: "a", input: { variables: {} } }, 400, /missing template variable: name/],
      [{ input: {} }, 400, /exactly one of function_name or model_name/],
      [{ function_name: "greet", input: { variables: { name: "x" } }, episode_id: "not-a-uuid" }, 400, /episode_id/],
      [{ function_name: "greet", input: { variables: { name: "x" } }, params: { temperature: "hot" } }, 400, /params.temperature/],
      [{ function_name: "greet", input: { messages: [{ role: "wizard", content: "x" }] } }, 400, /input.messages\[0\]/],
      [{ model_name: "unknown-model", input: { messages: [{ role: "user", content: "x" }] } }, 404, /unknown model "unknown-model"/],
    ];
    for (const [body, status, message] of cases) {
      const res = await post(`${gw.url}/api/inference`, body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.body.error?.message).toMatch(message);
    }
    const notJson = await fetch(`${gw.url}/api/inference`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{oops",
    });
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as { error: { message: string } }).error.message).toMatch(/not valid JSON/);
    const huge = await fetch(`${gw.url}/api/inference`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ function_name: "greet", input: { variables: { name: "x".repeat(2_000_000) } } }),
    });
    expect(huge.status).toBe(413);
    const wrongMethod = await fetch(`${gw.url}/api/inference`);
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get("allow")).toBe("POST");
  });

  it("splits traffic by weight within tolerance and keeps episodes on one variant", async () => {
    const N = 1200;
    const counts: Record<string, number> = {};
    for (let i = 0; i < N; i++) {
      const result = await gw.gateway.infer(
        { functionName: "greet", variables: { name: "n" }, dryrun: true },
        { signal: new AbortController().signal },
      );
      counts[result.variantName] = (counts[result.variantName] ?? 0) + 1;
    }
    // Expected 900/300/0; the binomial sd of "a" is 15, so ±60 (4 sd) fails about once in 15,000 runs.
    expect(counts.off).toBeUndefined();
    expect(Math.abs((counts.a ?? 0) - 900)).toBeLessThan(60);
    expect((counts.a ?? 0) + (counts.b ?? 0)).toBe(N);

    const episodes = Array.from({ length: 40 }, () => crypto.randomUUID());
    for (const episode of episodes) {
      const seen = new Set<string>();
      for (let i = 0; i < 5; i++) {
        const { body } = await post(`${gw.url}/api/inference`, {
          function_name: "greet",
          episode_id: episode,
          input: { variables: { name: "n" } },
          dryrun: true,
        });
        seen.add(String(body.variant_name));
        expect(body.episode_id).toBe(episode);
      }
      expect(seen.size).toBe(1);
    }
  });

  it("answers identical requests from the cache when the function enables it, unless the request opts out", async () => {
    const ask = (extra: object = {}) =>
      post(`${gw.url}/api/inference`, { function_name: "cached", input: { variables: { q: "same" } }, ...extra });
    const first = await ask();
    expect(first.body.cached).toBe(false);
    await gw.gateway.recorder.flush();
    const second = await ask();
    expect(second.body).toMatchObject({ cached: true, provider_name: "cache", output: first.body.output });
    expect(second.headers.get("x-llmops-cache")).toBe("hit");
    expect(second.body.inference_id).not.toBe(first.body.inference_id);
    expect((await ask({ cache: { enabled: false } })).body.cached).toBe(false);
    expect((await post(`${gw.url}/api/inference`, { function_name: "cached", input: { variables: { q: "other" } } })).body.cached).toBe(
      false,
    );
    await gw.gateway.recorder.flush();
    const [hit] = await rows<InferenceRow>(env.stores, "SELECT * FROM inferences WHERE id = {id:UUID}", { id: second.body.inference_id });
    expect(hit).toMatchObject({ cached: true, cost: 0, status: "ok" });
    const calls = await rows<ModelCallRow>(env.stores, "SELECT * FROM model_calls WHERE inference_id = {id:UUID}", {
      id: second.body.inference_id,
    });
    expect(calls).toHaveLength(0);
  });

  it("calls a model directly and logs it under the direct-model function", async () => {
    const { status, body } = await post(`${gw.url}/api/inference`, {
      model_name: "m",
      input: { messages: [{ role: "user", content: "ping" }] },
    });
    expect(status).toBe(200);
    expect(body).toMatchObject({ function_name: "llmops::model", variant_name: "m", output: { content: "Echo: ping" } });
  });

  it("streams on the native route as SSE, with ids on the first event", async () => {
    const res = await fetch(`${gw.url}/api/inference`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ function_name: "greet", variant_name: "b", stream: true, input: { variables: { name: "Cy" } } }),
    });
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    const text = await res.text();
    const events = text
      .split("\n\n")
      .filter(Boolean)
      .map((e) => e.replace(/^data: /, ""));
    expect(events.at(-1)).toBe("[DONE]");
    const parsed = events
      .slice(0, -1)
      .map((e) => JSON.parse(e) as { inference_id: string; variant_name?: string; delta: { content?: string } });
    expect(parsed[0]).toMatchObject({ variant_name: "b", inference_id: res.headers.get("x-llmops-inference-id") });
    expect(parsed.map((p) => p.delta.content ?? "").join("")).toBe("Echo: Say hello to Cy");
    await gw.gateway.recorder.flush();
    const [row] = await rows<InferenceRow>(env.stores, "SELECT * FROM inferences WHERE id = {id:UUID}", { id: parsed[0]!.inference_id });
    expect(row).toMatchObject({ streamed: true, status: "ok", variant_name: "b" });
    expect(JSON.parse(row!.output)).toMatchObject({ content: "Echo: Say hello to Cy" });
  });
});
