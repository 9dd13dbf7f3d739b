import OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { ServerResponse } from "node:http";
import { EMBEDDING_FUNCTION, type InferenceRow, type ModelCallRow } from "@/lib/inference/tables";
import { tablePrice } from "./pricing";
import { openTestStores, rows, startTestGateway, type TestGateway, type TestStores } from "./testing/harness";
import { listInferences } from "@/lib/analytics/inferences.server";
import {
  anthropicAnswer,
  json,
  openaiAnswer,
  openaiEmbeddingsAnswer,
  openaiStream,
  startUpstream,
  type Upstream,
  type UpstreamRequest,
} from "./testing/upstream";

/** The rest of the OpenAI surface, with the official SDK: unknown paths, models by id. */
const config = (upstream: string) => `
[providers.up]
type = "openai"
base_url = "${upstream}/v1"
max_retries = 0

[models.gpt]
routing = [{ provider = "up", model = "gpt-upstream" }]
price = { input = 2.0, output = 8.0 }

[models.embed]
kind = "embedding"
routing = [{ provider = "up", model = "text-embedding-3-small" }]

[providers.slow]
type = "openai"
base_url = "${upstream}/v1"
max_retries = 0
timeout_ms = 300

[models.slow-embed]
kind = "embedding"
routing = [{ provider = "slow", model = "text-embedding-3-small" }]

[providers.dummy]
type = "dummy"
latency_ms = 1
ttft_ms = 0

[models.dummy-embed]
kind = "embedding"
routing = [{ provider = "dummy" }]
price = { input = 1.0, output = 0 }

[providers.claude]
type = "anthropic"
base_url = "${upstream}/anthropic"
max_retries = 0

[models.claude]
routing = [{ provider = "claude", model = "claude-test" }]

[providers.retrying]
type = "openai"
base_url = "${upstream}/v1"
max_retries = 2
retry_backoff_ms = 5

[models.retried]
routing = [{ provider = "retrying" }]

[models.once]
routing = [{ provider = "up" }]

[functions.chat.variants.main]
model = "gpt"
max_tokens = 100
`;

const upstreamAnswer = (req: UpstreamRequest, res: ServerResponse) =>
  req.path.endsWith("/embeddings") ? json(res, 200, openaiEmbeddingsAnswer(req.body)) : json(res, 200, openaiAnswer(req.body));

describe("the OpenAI surface beyond chat", () => {
  let env: TestStores;
  let upstream: Upstream;
  let gw: TestGateway;
  let client: OpenAI;
  beforeAll(async () => {
    env = await openTestStores();
    upstream = await startUpstream(upstreamAnswer);
    gw = await startTestGateway(env.stores, config(upstream.url));
    client = new OpenAI({ baseURL: `${gw.url}/openai/v1`, apiKey: "unused", maxRetries: 0 });
  });
  beforeEach(() => {
    upstream.requests.length = 0;
    upstream.setBehaviour(upstreamAnswer);
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

  it("ends an embedding call its provider never answers at the provider's timeout, and logs the attempt", async () => {
    const held: ServerResponse[] = [];
    upstream.setBehaviour((_req, res) => void held.push(res));
    try {
      const error = await client.embeddings.create({ model: "model::slow-embed", input: "never answered" }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OpenAI.APIError);
      expect((error as InstanceType<typeof OpenAI.APIError>).message).toContain("slow: no answer within 300 ms");
      const id = (error as InstanceType<typeof OpenAI.APIError>).headers?.get("x-llmops-inference-id");
      await gw.gateway.recorder.flush();
      const calls = await rows<ModelCallRow>(env.stores, "SELECT status, error FROM model_calls WHERE inference_id = {id:UUID}", { id });
      expect(calls).toEqual([{ status: "error", error: "slow: no answer within 300 ms" }]);
    } finally {
      for (const res of held) res.destroy();
    }
  });

  it("retrieves a model by id, and 404s an unknown one", async () => {
    expect(await client.models.retrieve("function::chat")).toMatchObject({ id: "function::chat", object: "model", owned_by: "llmops" });
    expect(await client.models.retrieve("model::gpt")).toMatchObject({ id: "model::gpt" });
    expect(await client.models.retrieve("gpt")).toMatchObject({ id: "gpt" });
    const error = await client.models.retrieve("model::nope").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
  });

  it("embeds with the SDK (base64 by default, floats on request), priced from the bundled table, and logs it as an embedding call", async () => {
    const { data, response } = await client.embeddings.create({ model: "model::embed", input: ["alpha", "be"] }).withResponse();
    expect(upstream.requests[0]!.path).toBe("/v1/embeddings");
    expect(upstream.requests[0]!.body).toMatchObject({ model: "text-embedding-3-small", input: ["alpha", "be"], encoding_format: "float" });
    expect(data.data.map((d) => d.embedding)).toEqual([
      [1, 5, 0.5],
      [2, 2, 0.5],
    ]);
    const price = tablePrice("text-embedding-3-small")!;
    expect(data.usage).toMatchObject({ prompt_tokens: 8, total_tokens: 8, cost: (8 * price.input) / 1e6 });
    expect(response.headers.get("x-llmops-cost-usd")).toBe("0.00000016");
    const floats = await client.embeddings.create({ model: "embed", input: "one", encoding_format: "float", dimensions: 4 });
    expect(floats.data[0]!.embedding).toEqual([1, 3, 0.5, 0.5]);
    expect(upstream.requests[1]!.body).toMatchObject({ input: ["one"], dimensions: 4 });

    const id = response.headers.get("x-llmops-inference-id")!;
    await gw.gateway.recorder.flush();
    const [row] = await rows<InferenceRow>(env.stores, "SELECT * FROM inferences WHERE id = {id:UUID}", { id });
    expect(row).toMatchObject({
      function_name: EMBEDDING_FUNCTION,
      variant_name: "embed",
      input_tokens: 8,
      output_tokens: 0,
      status: "ok",
    });
    expect(JSON.parse(row!.output)).toEqual({ embeddings: 2, dimensions: 3, cached: 0 });
    const calls = await rows<ModelCallRow>(env.stores, "SELECT * FROM model_calls WHERE inference_id = {id:UUID}", { id });
    expect(calls).toHaveLength(1);
  });

  it("caches each input item: a batch with some items seen before sends only the others upstream", async () => {
    const cached = { headers: { "x-llmops-cache": "on" } };
    await client.embeddings.create({ model: "model::embed", input: ["a1", "b22"] }, cached);
    await gw.gateway.recorder.flush();
    const { data, response } = await client.embeddings
      .create({ model: "model::embed", input: ["b22", "c333", "a1"], encoding_format: "float" }, cached)
      .withResponse();
    expect(upstream.requests).toHaveLength(2);
    expect(upstream.requests[1]!.body.input).toEqual(["c333"]);
    expect(data.data.map((d) => d.embedding)).toEqual([
      [2, 3, 0.5],
      [1, 4, 0.5],
      [1, 2, 0.5],
    ]);
    expect(response.headers.get("x-llmops-cache")).toBe("partial");
    expect(response.headers.get("x-llmops-cache-hits")).toBe("2");
    await gw.gateway.recorder.flush();
    const again = await client.embeddings.create({ model: "model::embed", input: ["c333", "a1"] }, cached).withResponse();
    expect(upstream.requests).toHaveLength(2);
    expect(again.response.headers.get("x-llmops-cache")).toBe("hit");
    expect(again.data.usage).toMatchObject({ cost: 0 });
    // Without the cache, every item goes upstream.
    await client.embeddings.create({ model: "model::embed", input: ["a1"] });
    expect(upstream.requests).toHaveLength(3);
  });

  it("gives deterministic dummy vectors, and refuses chat models, functions and empty input by name", async () => {
    const one = await client.embeddings.create({ model: "dummy-embed", input: ["same", "other"], encoding_format: "float" });
    const two = await client.embeddings.create({ model: "dummy-embed", input: "same", encoding_format: "float", dimensions: 8 });
    expect(one.data[0]!.embedding).toHaveLength(256);
    expect(one.data[0]!.embedding).not.toEqual(one.data[1]!.embedding);
    expect(two.data[0]!.embedding).toHaveLength(8);
    const norm = Math.hypot(...one.data[0]!.embedding);
    expect(norm).toBeCloseTo(1, 6);
    const again = await client.embeddings.create({ model: "dummy-embed", input: "same", encoding_format: "float" });
    expect(again.data[0]!.embedding).toEqual(one.data[0]!.embedding);
    for (const [body, pattern] of [
      [{ model: "model::gpt", input: "x" }, /chat model/],
      [{ model: "function::chat", input: "x" }, /not a function/],
      [{ model: "embed", input: "" }, /empty/],
      [{ model: "nope", input: "x" }, /unknown model/],
    ] as const) {
      const error = await client.embeddings.create(body).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OpenAI.APIError);
      expect((error as InstanceType<typeof OpenAI.APIError>).message).toMatch(pattern);
    }
    const chat = await client.chat.completions
      .create({ model: "model::embed", messages: [{ role: "user", content: "x" }] })
      .catch((e: unknown) => e);
    expect((chat as InstanceType<typeof OpenAI.APIError>).status).toBe(400);
    expect((await client.models.list()).data.map((m) => m.id)).toContain("model::embed");
  });

  it("passes every parameter through (unknown ones too), keeps max_completion_tokens, returns logprobs, records the user", async () => {
    const logprobs = {
      content: [{ token: "hi", logprob: -0.1, bytes: [104, 105], top_logprobs: [{ token: "hi", logprob: -0.1, bytes: [104, 105] }] }],
      refusal: null,
    };
    upstream.setBehaviour((req, res) => {
      const body = openaiAnswer(req.body, "hi");
      json(res, 200, { ...body, choices: [{ ...body.choices[0], logprobs }] });
    });
    const params = {
      logprobs: true,
      top_logprobs: 1,
      user: "user-42",
      metadata: { team: "search" },
      store: false,
      logit_bias: { "50256": -100 },
      service_tier: "flex",
      reasoning_effort: "low",
      parallel_tool_calls: false,
      max_completion_tokens: 9,
      verbosity: "low",
      some_future_parameter: { nested: true },
    };
    const { data, response } = await client.chat.completions
      .create({
        model: "function::chat",
        messages: [{ role: "user", content: "x" }],
        ...params,
      } as OpenAI.ChatCompletionCreateParamsNonStreaming)
      .withResponse();
    expect(data.choices[0]!.logprobs).toEqual(logprobs);
    const { max_completion_tokens: _m, ...rest } = params;
    expect(upstream.requests[0]!.body).toMatchObject({ ...rest, max_completion_tokens: 9 });
    // The request's max_completion_tokens replaces the variant's max_tokens.
    expect(upstream.requests[0]!.body.max_tokens).toBeUndefined();

    const id = response.headers.get("x-llmops-inference-id")!;
    await gw.gateway.recorder.flush();
    const [row] = await rows<InferenceRow>(env.stores, "SELECT * FROM inferences WHERE id = {id:UUID}", { id });
    expect(row!.end_user).toBe("user-42");
    const now = Date.now();
    const found = await listInferences(env.stores.clickhouse.client, {
      from: now - 3_600_000,
      to: now + 60_000,
      user: "user-42",
      limit: 10,
    });
    expect(found.items.map((i) => i.id)).toEqual([id]);

    upstream.setBehaviour((req, res) => openaiStream(res, req.body, ["a", "b"]));
    const stream = await client.chat.completions.create({
      model: "model::gpt",
      messages: [{ role: "user", content: "x" }],
      stream: true,
      logprobs: true,
    });
    for await (const _chunk of stream) void _chunk;
    expect(upstream.requests[1]!.body).toMatchObject({ logprobs: true });
  });

  it("refuses, with a 400 naming it, a parameter Anthropic cannot take; maps max_completion_tokens and user for it", async () => {
    const error = await client.chat.completions
      .create({ model: "model::claude", messages: [{ role: "user", content: "x" }], logprobs: true })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as Error).message).toMatch(/anthropic cannot take the parameter logprobs/);
    expect(upstream.requests).toHaveLength(0);
    upstream.setBehaviour((_req, res) => json(res, 200, anthropicAnswer("ok")));
    await client.chat.completions.create({
      model: "model::claude",
      messages: [{ role: "user", content: "x" }],
      max_completion_tokens: 33,
      user: "u1",
      store: true,
    });
    expect(upstream.requests[0]!.body).toMatchObject({ max_tokens: 33, metadata: { user_id: "u1" } });
    expect(upstream.requests[0]!.body.store).toBeUndefined();
  });

  it("passes Retry-After on, and tells SDKs not to retry once the gateway spent its own retries", async () => {
    upstream.setBehaviour((_req, res) => json(res, 429, { error: { message: "slow down" } }, { "retry-after": "1" }));
    const sdk = new OpenAI({ baseURL: `${gw.url}/openai/v1`, apiKey: "unused", maxRetries: 2 });
    const started = Date.now();
    const error = (await sdk.chat.completions
      .create({ model: "model::retried", messages: [{ role: "user", content: "x" }] })
      .catch((e: unknown) => e)) as InstanceType<typeof OpenAI.RateLimitError>;
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    // The gateway's 1 + 2 attempts (waiting Retry-After between them), and none from the SDK.
    expect(upstream.requests).toHaveLength(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_900);
    expect(error.headers.get("retry-after")).toBe("1");
    expect(error.headers.get("x-should-retry")).toBe("false");
    const id = error.headers.get("x-llmops-inference-id")!;
    await gw.gateway.recorder.flush();
    const [row] = await rows<InferenceRow>(env.stores, "SELECT * FROM inferences WHERE id = {id:UUID}", { id });
    expect(row).toMatchObject({ status: "error", variant_name: "retried" });

    // A provider without retries: one attempt per call, so the SDK's own retries (after Retry-After) are the retries.
    upstream.requests.length = 0;
    const once = (await sdk.chat.completions
      .create({ model: "model::once", messages: [{ role: "user", content: "x" }] })
      .catch((e: unknown) => e)) as InstanceType<typeof OpenAI.RateLimitError>;
    expect(once.headers.get("retry-after")).toBe("1");
    expect(once.headers.get("x-should-retry")).toBeNull();
    expect(upstream.requests).toHaveLength(3);
  });

  it("records a stream broken half-way as an error with its partial output and no finish reason", async () => {
    upstream.setBehaviour((req, res) => openaiStream(res, req.body, ["part ", "one ", "two"], { breakAfter: 2, delayMs: 10 }));
    const { data: stream, response } = await client.chat.completions
      .create({ model: "model::once", messages: [{ role: "user", content: "b" }], stream: true })
      .withResponse();
    const error = await (async () => {
      for await (const _chunk of stream) void _chunk;
    })().catch((e: unknown) => e);
    expect(String(error)).toMatch(/the stream broke/);
    const id = response.headers.get("x-llmops-inference-id")!;
    await gw.gateway.recorder.flush();
    const [row] = await rows<InferenceRow>(env.stores, "SELECT * FROM inferences WHERE id = {id:UUID}", { id });
    expect(row).toMatchObject({ status: "error", streamed: true });
    expect(JSON.parse(row!.output)).toEqual({ content: "part one ", finish_reason: null, partial: true });
  });
});
