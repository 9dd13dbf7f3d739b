import OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { FeedbackRow, InferenceRow } from "@/lib/inference/tables";
import { openTestStores, rows, startTestGateway, type TestGateway, type TestStores } from "../testing/harness";
import { json, openaiAnswer, openaiStream, openaiToolAnswer, startUpstream, type Upstream } from "../testing/upstream";

/**
 * TensorZero's wire format request by request, as its API reference shows them and as its clients
 * send them (the Rust-based client writes every unset field as null). The gateway stands where
 * TensorZero's would; the provider is a local OpenAI-compatible server.
 */
const config = (upstream: string) => `
[recorder]
flush_ms = 5000

[providers.up]
type = "openai"
base_url = "${upstream}/v1"
max_retries = 0

[models.gpt]
routing = [{ provider = "up", model = "gpt-upstream" }]

[functions.draft_email.variants.prompt_v1]
model = "gpt"

[functions.draft_email_schemas.variants.prompt_v1]
model = "gpt"
system = "Write in a {{tone}} tone."
user = "Email {{recipient}} to {{email_purpose}}."

[functions.weather_bot.variants.prompt_v1]
model = "gpt"

[functions.extract_email.variants.prompt_v1]
model = "gpt"
json_mode = true
system = "Extract the email address."

[metrics.draft_accepted]
type = "boolean"
level = "inference"

[metrics.user_rating]
type = "float"
level = "episode"
`;

/** What TensorZero's client sends for fields left unset. */
const CLIENT_DEFAULTS = {
  function_name: null,
  model_name: null,
  episode_id: null,
  stream: null,
  params: { chat_completion: { temperature: null, max_tokens: null, seed: null, top_p: null, json_mode: null, stop_sequences: null } },
  variant_name: null,
  dryrun: null,
  internal: false,
  tags: {},
  allowed_tools: null,
  additional_tools: null,
  tool_choice: null,
  parallel_tool_calls: null,
  output_schema: null,
  credentials: {},
  cache_options: { max_age_s: null, enabled: "write_only" },
  include_original_response: false,
  extra_body: [],
  extra_headers: [],
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/;

async function post(url: string, body: unknown) {
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, body: JSON.parse(text) as Record<string, unknown> };
}

describe("TensorZero drop-in (its HTTP API and its names on the OpenAI route)", () => {
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
    upstream.setBehaviour((req, res) => json(res, 200, openaiAnswer(req.body)));
  });
  afterAll(async () => {
    await gw?.close();
    await upstream?.close();
    await env?.cleanup();
  });

  it("POST /inference, chat function: input.system and a user message, nulls for unset fields", async () => {
    const res = await post(`${gw.url}/inference`, {
      ...CLIENT_DEFAULTS,
      function_name: "draft_email",
      input: {
        system: "You are an AI assistant...",
        messages: [{ role: "user", content: [{ type: "text", text: "I need to write an email to Gabriel explaining..." }] }],
      },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual({
      inference_id: expect.stringMatching(UUID),
      episode_id: expect.stringMatching(UUID),
      variant_name: "prompt_v1",
      content: [{ type: "text", text: "upstream says: I need to write an email to Gabriel explaining..." }],
      usage: { input_tokens: 11, output_tokens: 7 },
      finish_reason: "stop",
    });
    expect(res.headers.get("x-llmops-ignored")).toBeNull();
    expect(upstream.requests[0]!.body.messages).toEqual([
      { role: "system", content: "You are an AI assistant..." },
      { role: "user", content: "I need to write an email to Gabriel explaining..." },
    ]);

    // The next turn of the episode, with string content and a tag.
    const next = await post(`${gw.url}/inference`, {
      function_name: "draft_email",
      episode_id: res.body.episode_id,
      input: { messages: [{ role: "user", content: "Shorter, please." }] },
      tags: { user_id: "123" },
    });
    expect(next.status, next.text).toBe(200);
    expect(next.body.episode_id).toBe(res.body.episode_id);
    await gw.gateway.recorder.flush();
    const [row] = await rows<InferenceRow>(env.stores, "SELECT * FROM inferences WHERE id = {id:UUID}", { id: next.body.inference_id });
    expect(row).toMatchObject({ function_name: "draft_email", variant_name: "prompt_v1", tags: { user_id: "123" } });
  });

  it("POST /inference, chat function with schemas: arguments blocks fill the variant's templates", async () => {
    const res = await post(`${gw.url}/inference`, {
      ...CLIENT_DEFAULTS,
      function_name: "draft_email_schemas",
      input: {
        system: { tone: "casual" },
        messages: [{ role: "user", content: [{ type: "text", arguments: { recipient: "Gabriel", email_purpose: "Request a meeting" } }] }],
      },
    });
    expect(res.status, res.text).toBe(200);
    expect(upstream.requests[0]!.body.messages).toEqual([
      { role: "system", content: "Write in a casual tone." },
      { role: "user", content: "Email Gabriel to Request a meeting." },
    ]);
    const missing = await post(`${gw.url}/inference`, {
      function_name: "draft_email_schemas",
      input: { system: { tone: "casual" }, messages: [] },
    });
    expect(missing.status).toBe(400);
    expect(missing.body).toEqual({ error: expect.stringMatching(/missing template variable/) });
  });

  it("POST /inference, tool use: additional_tools, a tool_call block answered, finish_reason tool_call", async () => {
    upstream.setBehaviour((req, res) =>
      json(res, 200, openaiToolAnswer(req.body, "get_temperature", { location: "Tokyo", units: "celsius" })),
    );
    const parameters = {
      type: "object",
      properties: { location: { type: "string" }, units: { type: "string", enum: ["fahrenheit", "celsius"] } },
      required: ["location"],
      additionalProperties: false,
    };
    const res = await post(`${gw.url}/inference`, {
      ...CLIENT_DEFAULTS,
      function_name: "weather_bot",
      input: { messages: [{ role: "user", content: "What is the weather like in Tokyo?" }] },
      additional_tools: [{ name: "get_temperature", description: "Get the current temperature", parameters, strict: false }],
      tool_choice: "auto",
      parallel_tool_calls: false,
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body.content).toEqual([
      {
        type: "tool_call",
        id: "call_1",
        name: "get_temperature",
        raw_name: "get_temperature",
        arguments: { location: "Tokyo", units: "celsius" },
        raw_arguments: '{"location":"Tokyo","units":"celsius"}',
      },
    ]);
    expect(res.body.finish_reason).toBe("tool_call");
    expect(upstream.requests[0]!.body).toMatchObject({
      tools: [{ type: "function", function: { name: "get_temperature", description: "Get the current temperature", parameters } }],
      tool_choice: "auto",
      parallel_tool_calls: false,
    });
  });

  it("POST /inference, multi-turn tool use: tool_call and tool_result blocks become OpenAI's tool messages", async () => {
    const res = await post(`${gw.url}/inference`, {
      ...CLIENT_DEFAULTS,
      function_name: "weather_bot",
      input: {
        messages: [
          { role: "user", content: "What is the weather like in Tokyo?" },
          {
            role: "assistant",
            content: [{ type: "tool_call", id: "123456789", name: "get_temperature", arguments: { location: "Tokyo", units: "celsius" } }],
          },
          { role: "user", content: [{ type: "tool_result", id: "123456789", name: "get_temperature", result: "25" }] },
          { role: "user", content: [{ type: "raw_text", value: "And in {{Osaka}}?" }] },
        ],
      },
    });
    expect(res.status, res.text).toBe(200);
    expect(upstream.requests[0]!.body.messages).toEqual([
      { role: "user", content: "What is the weather like in Tokyo?" },
      {
        role: "assistant",
        content: null,
        tool_calls: [
          { id: "123456789", type: "function", function: { name: "get_temperature", arguments: '{"location":"Tokyo","units":"celsius"}' } },
        ],
      },
      { role: "tool", tool_call_id: "123456789", content: "25" },
      { role: "user", content: "And in {{Osaka}}?" },
    ]);
  });

  it("POST /inference, dynamic inference parameters (params.chat_completion) and notes on fields without effect", async () => {
    const res = await post(`${gw.url}/inference`, {
      ...CLIENT_DEFAULTS,
      function_name: "draft_email",
      input: { messages: [{ role: "user", content: "Hi" }] },
      params: { chat_completion: { ...CLIENT_DEFAULTS.params.chat_completion, temperature: 0.7, max_tokens: 50, stop_sequences: ["END"] } },
      extra_body: [{ variant_name: "prompt_v1", pointer: "/agi", value: true }],
      credentials: { my_key: "sk-nope" },
    });
    expect(res.status, res.text).toBe(200);
    expect(upstream.requests[0]!.body).toMatchObject({ temperature: 0.7, max_tokens: 50, stop: ["END"] });
    expect(upstream.requests[0]!.body).not.toHaveProperty("agi");
    expect(res.headers.get("x-llmops-ignored")).toBe("credentials (keys come from the gateway's environment), extra_body");

    // Unknown keys are named in the header clipped and in ASCII, whatever they hold (fuzz).
    const odd = await post(`${gw.url}/inference`, {
      function_name: "draft_email",
      input: { messages: [{ role: "user", content: "Hi" }] },
      params: { chat_completion: { ["é".repeat(300_000)]: 1 } },
    });
    expect(odd.status, odd.text.slice(0, 200)).toBe(200);
    expect(odd.headers.get("x-llmops-ignored")).toMatch(/^params\.chat_completion\.\?+/);
    expect(odd.headers.get("x-llmops-ignored")!.length).toBeLessThan(500);
  });

  it("POST /inference, JSON function: output {raw, parsed}; dryrun is not logged", async () => {
    upstream.setBehaviour((req, res) => json(res, 200, openaiAnswer(req.body, '{"email":"hello@tensorzero.com"}')));
    const res = await post(`${gw.url}/inference`, {
      ...CLIENT_DEFAULTS,
      function_name: "extract_email",
      dryrun: true,
      input: { system: "You are an AI assistant...", messages: [{ role: "user", content: "...blah hello@tensorzero.com blah..." }] },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body.output).toEqual({ raw: '{"email":"hello@tensorzero.com"}', parsed: { email: "hello@tensorzero.com" } });
    expect(res.body).not.toHaveProperty("content");
    expect(upstream.requests[0]!.body.response_format).toEqual({ type: "json_object" });
    await gw.gateway.recorder.flush();
    const logged = await rows<InferenceRow>(env.stores, "SELECT * FROM inferences WHERE id = {id:UUID}", { id: res.body.inference_id });
    expect(logged).toHaveLength(0);
  });

  it("POST /inference with stream: text chunks with block id, usage and finish_reason last, then [DONE]", async () => {
    upstream.setBehaviour((req, res) => openaiStream(res, req.body, ["Hi ", "Gabriel,"]));
    const res = await fetch(`${gw.url}/inference`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        ...CLIENT_DEFAULTS,
        function_name: "draft_email",
        stream: true,
        input: { messages: [{ role: "user", content: "Write" }] },
      }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/text\/event-stream/);
    const events = (await res.text()).split("\n\n").filter(Boolean);
    expect(events.at(-1)).toBe("data: [DONE]");
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e.slice("data: ".length)) as Record<string, unknown>);
    const text = chunks.flatMap((c) => c.content as { type: string; id: string; text: string }[]);
    expect(text.map((b) => b.text).join("")).toBe("Hi Gabriel,");
    expect(text.every((b) => b.type === "text" && b.id === "0")).toBe(true);
    expect(new Set(chunks.map((c) => c.inference_id)).size).toBe(1);
    expect(chunks[0]).toMatchObject({ episode_id: expect.stringMatching(UUID), variant_name: "prompt_v1" });
    expect(chunks.at(-1)).toMatchObject({ usage: { input_tokens: 11, output_tokens: 2 }, finish_reason: "stop" });
  });

  it("POST /inference with stream: tool call chunks carry the call's id, raw_name and raw_arguments", async () => {
    upstream.setBehaviour((req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      const chunk = (delta: unknown, finish: string | null = null) =>
        `data: ${JSON.stringify({ id: "c", object: "chat.completion.chunk", created: 1, model: "m", choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
      res.write(
        chunk({
          role: "assistant",
          tool_calls: [{ index: 0, id: "call_9", type: "function", function: { name: "get_temperature", arguments: "" } }],
        }),
      );
      res.write(chunk({ tool_calls: [{ index: 0, function: { arguments: '{"location":' } }] }));
      res.write(chunk({ tool_calls: [{ index: 0, function: { arguments: '"Tokyo"}' } }] }));
      res.write(chunk({}, "tool_calls"));
      res.end("data: [DONE]\n\n");
    });
    const res = await fetch(`${gw.url}/inference`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ function_name: "weather_bot", stream: true, input: { messages: [{ role: "user", content: "Tokyo?" }] } }),
    });
    const chunks = (await res.text())
      .split("\n\n")
      .filter((e) => e.startsWith("data: {"))
      .map((e) => JSON.parse(e.slice(6)) as { content: { id: string; raw_name: string; raw_arguments: string }[]; finish_reason?: string });
    const calls = chunks.flatMap((c) => c.content);
    expect(calls.every((c) => c.id === "call_9")).toBe(true);
    expect(calls.map((c) => c.raw_name).join("")).toBe("get_temperature");
    expect(calls.map((c) => c.raw_arguments).join("")).toBe('{"location":"Tokyo"}');
    expect(chunks.at(-1)!.finish_reason).toBe("tool_call");
  });

  it("POST /feedback: inference-level boolean, episode-level float, demonstration blocks, dryrun; errors in TensorZero's dialect", async () => {
    const inf = await post(`${gw.url}/inference`, { function_name: "draft_email", input: { messages: [{ role: "user", content: "x" }] } });
    const nulls = { inference_id: null, episode_id: null, dryrun: null, internal: false, tags: {} };
    const accepted = await post(`${gw.url}/feedback`, {
      ...nulls,
      inference_id: inf.body.inference_id,
      metric_name: "draft_accepted",
      value: true,
    });
    expect(accepted.status, accepted.text).toBe(200);
    expect(accepted.body).toEqual({ feedback_id: expect.stringMatching(UUID) });
    const rating = await post(`${gw.url}/feedback`, { ...nulls, episode_id: inf.body.episode_id, metric_name: "user_rating", value: 10 });
    expect(rating.status, rating.text).toBe(200);
    const demo = await post(`${gw.url}/feedback`, {
      ...nulls,
      inference_id: inf.body.inference_id,
      metric_name: "demonstration",
      value: [{ type: "text", text: "Dear Gabriel, ..." }],
    });
    expect(demo.status, demo.text).toBe(200);
    const dry = await post(`${gw.url}/feedback`, {
      ...nulls,
      inference_id: inf.body.inference_id,
      metric_name: "draft_accepted",
      value: false,
      dryrun: true,
    });
    expect(dry.status).toBe(200);

    const stored = await rows<FeedbackRow>(
      env.stores,
      "SELECT * FROM feedback WHERE target_id IN ({a:UUID}, {b:UUID}) ORDER BY metric_name",
      {
        a: inf.body.inference_id,
        b: inf.body.episode_id,
      },
    );
    expect(stored.map((r) => [r.metric_name, r.kind, r.value])).toEqual([
      ["demonstration", "demonstration", 0],
      ["draft_accepted", "boolean", 1],
      ["user_rating", "float", 10],
    ]);
    expect(JSON.parse(stored[0]!.text)).toMatchObject({ content: "Dear Gabriel, ..." });

    const unknown = await post(`${gw.url}/feedback`, { ...nulls, inference_id: inf.body.inference_id, metric_name: "nope", value: true });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ error: expect.stringMatching(/unknown metric "nope"/) });
    const wrongMethod = await fetch(`${gw.url}/feedback`);
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get("allow")).toBe("POST");
    expect(await wrongMethod.json()).toEqual({ error: expect.any(String) });
  });

  it("GET /health and GET /status", async () => {
    const health = await fetch(`${gw.url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ gateway: "ok", clickhouse: "ok" });
    const status = await fetch(`${gw.url}/status`);
    expect(await status.json()).toEqual({ status: "ok" });
  });

  it("the OpenAI route with tensorzero:: names, extra fields and tensorzero::arguments (official openai SDK)", async () => {
    const client = new OpenAI({ baseURL: `${gw.url}/openai/v1`, apiKey: "unused", maxRetries: 0 });
    const first = await client.chat.completions.create({
      model: "tensorzero::function_name::draft_email",
      messages: [{ role: "user", content: "I need to write an email to Gabriel explaining..." }],
      temperature: 0.4,
      ...{ "tensorzero::tags": { user_id: "123" }, "tensorzero::variant_name": "prompt_v1" },
    });
    const episodeId = (first as unknown as { episode_id: string }).episode_id;
    expect(episodeId).toMatch(UUID);
    expect(first.choices[0]!.message.content).toBe("upstream says: I need to write an email to Gabriel explaining...");

    const { data: second, response } = await client.chat.completions
      .create({
        model: "tensorzero::function_name::draft_email_schemas",
        messages: [
          { role: "system", content: [{ type: "text", "tensorzero::arguments": { tone: "formal" } }] as never },
          {
            role: "user",
            content: [{ type: "text", "tensorzero::arguments": { recipient: "Gabriel", email_purpose: "say hi" } }] as never,
          },
        ],
        ...{ "tensorzero::episode_id": episodeId, "tensorzero::dryrun": false, "tensorzero::extra_headers": [{ name: "X", value: "y" }] },
      })
      .withResponse();
    expect((second as unknown as { episode_id: string }).episode_id).toBe(episodeId);
    expect(response.headers.get("x-llmops-ignored")).toBe("tensorzero::extra_headers");
    expect(upstream.requests[1]!.body.messages).toEqual([
      { role: "system", content: "Write in a formal tone." },
      { role: "user", content: "Email Gabriel to say hi." },
    ]);

    upstream.setBehaviour((req, res) => openaiStream(res, req.body, ["upstream says: ", "direct"]));
    const stream = await client.chat.completions.create({
      model: "tensorzero::model_name::gpt",
      messages: [{ role: "user", content: "direct" }],
      stream: true,
      ...{ "tensorzero::dryrun": true },
    });
    let text = "";
    for await (const chunk of stream) {
      expect((chunk as unknown as { episode_id: string }).episode_id).toMatch(UUID);
      text += chunk.choices[0]?.delta.content ?? "";
    }
    expect(text).toBe("upstream says: direct");
    await expect(
      client.chat.completions.create({ model: "tensorzero::nonsense::x", messages: [{ role: "user", content: "x" }] }),
    ).rejects.toMatchObject({ status: 404 });
  });
});
