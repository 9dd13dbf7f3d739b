import OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { InferenceRow, ModelCallRow } from "@/lib/inference/tables";
import { openTestStores, rows, startTestGateway, type TestGateway, type TestStores } from "./testing/harness";
import { json, openaiAnswer, openaiStream, openaiToolAnswer, startUpstream, type Upstream } from "./testing/upstream";

const config = (upstream: string) => `
[providers.up]
type = "openai"
base_url = "${upstream}/v1"
api_key_env = "LLMOPS_TEST_UPSTREAM_KEY"
max_retries = 0

[models.gpt]
routing = [{ provider = "up", model = "gpt-upstream" }]
price = { input = 2.0, output = 8.0 }

[functions.chat.variants.main]
model = "gpt"
system = "You are terse."
temperature = 0.3
`;

describe("OpenAI-compatible route with the official openai SDK", () => {
  let env: TestStores;
  let upstream: Upstream;
  let gw: TestGateway;
  let client: OpenAI;
  beforeAll(async () => {
    process.env.LLMOPS_TEST_UPSTREAM_KEY = "sk-test-secret";
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

  it("answers a function call, with the variant's prompt and params sent upstream and the key from the environment", async () => {
    const { data, response } = await client.chat.completions
      .create({ model: "function::chat", messages: [{ role: "user", content: "hello" }] })
      .withResponse();
    expect(data.choices[0]!.message.content).toBe("upstream says: hello");
    expect(data.usage).toEqual({ prompt_tokens: 11, completion_tokens: 7, total_tokens: 18, cost: (11 * 2 + 7 * 8) / 1e6 });
    expect(response.headers.get("x-llmops-cost-usd")).toBe("0.000078");
    expect(data.model).toBe("function::chat");
    expect(response.headers.get("x-llmops-variant")).toBe("main");
    expect(response.headers.get("x-llmops-inference-id")).toBe(data.id);
    const sent = upstream.requests[0]!;
    expect(sent.headers.authorization).toBe("Bearer sk-test-secret");
    expect(sent.body).toMatchObject({
      model: "gpt-upstream",
      temperature: 0.3,
      stream: false,
      messages: [
        { role: "system", content: "You are terse." },
        { role: "user", content: "hello" },
      ],
    });

    await gw.gateway.recorder.flush();
    const [row] = await rows<InferenceRow>(env.stores, "SELECT * FROM inferences WHERE id = {id:UUID}", { id: data.id });
    expect(row).toMatchObject({
      function_name: "chat",
      variant_name: "main",
      provider_name: "up",
      input_tokens: 11,
      output_tokens: 7,
      status: "ok",
      streamed: false,
    });
    expect(row!.cost).toBeCloseTo((11 * 2 + 7 * 8) / 1e6, 12);
    expect(JSON.parse(row!.output)).toEqual({ content: "upstream says: hello", finish_reason: "stop" });
    const calls = await rows<ModelCallRow>(env.stores, "SELECT * FROM model_calls WHERE inference_id = {id:UUID}", { id: data.id });
    expect(calls[0]!.request).not.toContain("sk-test-secret");
  });

  it("calls a model directly (model::NAME) and lists callable names", async () => {
    const data = await client.chat.completions.create({
      model: "model::gpt",
      messages: [{ role: "user", content: "direct" }],
      max_completion_tokens: 77,
    });
    expect(data.choices[0]!.message.content).toBe("upstream says: direct");
    expect(upstream.requests[0]!.body.messages).toEqual([{ role: "user", content: "direct" }]);
    expect(upstream.requests[0]!.body.max_completion_tokens).toBe(77);
    expect(upstream.requests[0]!.body.max_tokens).toBeUndefined();
    const models = await client.models.list();
    expect(models.data.map((m) => m.id)).toEqual(["function::chat", "model::gpt"]);
  });

  it("streams: the SDK assembles the text, usage comes last, and the log holds the assembled answer", async () => {
    upstream.setBehaviour((req, res) => openaiStream(res, req.body, ["Hel", "lo ", "there"]));
    const { data: stream, response } = await client.chat.completions
      .create({
        model: "function::chat",
        messages: [{ role: "user", content: "hi" }],
        stream: true,
        stream_options: { include_usage: true },
      })
      .withResponse();
    let text = "";
    let usage: OpenAI.CompletionUsage | undefined | null;
    let id = "";
    for await (const chunk of stream) {
      id = chunk.id;
      text += chunk.choices[0]?.delta.content ?? "";
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe("Hello there");
    expect(usage).toEqual({ prompt_tokens: 11, completion_tokens: 3, total_tokens: 14, cost: (11 * 2 + 3 * 8) / 1e6 });
    expect(response.headers.get("x-llmops-inference-id")).toBe(id);
    expect(upstream.requests[0]!.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    await gw.gateway.recorder.flush();
    const [row] = await rows<InferenceRow>(env.stores, "SELECT * FROM inferences WHERE id = {id:UUID}", { id });
    expect(row).toMatchObject({ streamed: true, status: "ok", input_tokens: 11, output_tokens: 3 });
    expect(JSON.parse(row!.output)).toEqual({ content: "Hello there", finish_reason: "stop" });
    expect(row!.ttft_ms).not.toBeNull();
  });

  it("passes tools and tool calls both ways, and response_format json", async () => {
    upstream.setBehaviour((req, res) => json(res, 200, openaiToolAnswer(req.body, "get_weather", { city: "Paris" })));
    const tools: OpenAI.ChatCompletionTool[] = [
      {
        type: "function",
        function: { name: "get_weather", description: "Weather", parameters: { type: "object", properties: { city: { type: "string" } } } },
      },
    ];
    const data = await client.chat.completions.create({
      model: "function::chat",
      messages: [{ role: "user", content: "weather?" }],
      tools,
      tool_choice: "auto",
    });
    expect(data.choices[0]!.finish_reason).toBe("tool_calls");
    const call = data.choices[0]!.message.tool_calls![0]!;
    expect(call.type === "function" && call.function).toEqual({ name: "get_weather", arguments: '{"city":"Paris"}' });
    expect(upstream.requests[0]!.body).toMatchObject({ tools, tool_choice: "auto" });

    upstream.setBehaviour((req, res) => json(res, 200, openaiAnswer(req.body, '{"ok":true}')));
    const follow = await client.chat.completions.create({
      model: "function::chat",
      messages: [
        { role: "user", content: "weather?" },
        {
          role: "assistant",
          content: null,
          tool_calls: [{ id: "call_1", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } }],
        },
        { role: "tool", tool_call_id: "call_1", content: "sunny" },
      ],
      response_format: { type: "json_object" },
    });
    expect(JSON.parse(follow.choices[0]!.message.content!)).toEqual({ ok: true });
    expect(upstream.requests[1]!.body).toMatchObject({
      response_format: { type: "json_object" },
      messages: [
        { role: "system" },
        { role: "user" },
        { role: "assistant", tool_calls: [{ id: "call_1" }] },
        { role: "tool", tool_call_id: "call_1", content: "sunny" },
      ],
    });
  });

  it("streams tool calls", async () => {
    upstream.setBehaviour((req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      const chunk = (delta: unknown, finish: string | null = null) =>
        `data: ${JSON.stringify({ id: "x", object: "chat.completion.chunk", created: 1, model: "m", choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
      res.write(
        chunk({
          role: "assistant",
          tool_calls: [{ index: 0, id: "call_9", type: "function", function: { name: "lookup", arguments: "" } }],
        }),
      );
      res.write(chunk({ tool_calls: [{ index: 0, function: { arguments: '{"q":' } }] }));
      res.write(chunk({ tool_calls: [{ index: 0, function: { arguments: '"x"}' } }] }));
      res.write(chunk({}, "tool_calls"));
      res.end("data: [DONE]\n\n");
    });
    const stream = client.chat.completions.stream({
      model: "function::chat",
      messages: [{ role: "user", content: "find x" }],
      tools: [{ type: "function", function: { name: "lookup", parameters: { type: "object" } } }],
    });
    const final = await stream.finalChatCompletion();
    expect(final.choices[0]!.message.tool_calls).toMatchObject([{ id: "call_9", function: { name: "lookup", arguments: '{"q":"x"}' } }]);
    expect(final.choices[0]!.finish_reason).toBe("tool_calls");
  });

  it("pins variants, sticks episodes and opts into the cache through headers", async () => {
    const episode = crypto.randomUUID();
    const first = await client.chat.completions
      .create(
        { model: "function::chat", messages: [{ role: "user", content: "cache me" }] },
        { headers: { "x-llmops-episode-id": episode, "x-llmops-cache": "ttl=600", "x-llmops-variant": "main" } },
      )
      .withResponse();
    expect(first.response.headers.get("x-llmops-episode-id")).toBe(episode);
    expect(first.response.headers.get("x-llmops-cache")).toBe("miss");
    await gw.gateway.recorder.flush();
    const second = await client.chat.completions
      .create({ model: "function::chat", messages: [{ role: "user", content: "cache me" }] }, { headers: { "x-llmops-cache": "on" } })
      .withResponse();
    expect(second.response.headers.get("x-llmops-cache")).toBe("hit");
    expect(second.data.choices[0]!.message.content).toBe("upstream says: cache me");
    expect(upstream.requests).toHaveLength(1);
    await gw.gateway.recorder.flush();
    const [row] = await rows<InferenceRow>(env.stores, "SELECT * FROM inferences WHERE id = {id:UUID}", { id: second.data.id });
    expect(row).toMatchObject({ cached: true, cost: 0, provider_name: "cache" });

    // A cached answer can be streamed too.
    const { data: stream, response } = await client.chat.completions
      .create(
        { model: "function::chat", messages: [{ role: "user", content: "cache me" }], stream: true },
        { headers: { "x-llmops-cache": "on" } },
      )
      .withResponse();
    let text = "";
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
    expect(response.headers.get("x-llmops-cache")).toBe("hit");
    expect(text).toBe("upstream says: cache me");
    expect(upstream.requests).toHaveLength(1);
  });

  it("maps bad requests to OpenAI-style 4xx errors the SDK understands", async () => {
    const attempts: [() => Promise<unknown>, number, RegExp][] = [
      [
        () => client.chat.completions.create({ model: "function::nope", messages: [{ role: "user", content: "x" }] }),
        404,
        /unknown function "nope"/,
      ],
      [() => client.chat.completions.create({ model: "gpt-5", messages: [{ role: "user", content: "x" }] }), 404, /unknown model "gpt-5"/],
      [() => client.chat.completions.create({ model: "function::chat", messages: [] }), 400, /messages needs at least one message/],
      [
        () => client.chat.completions.create({ model: "function::chat", messages: [{ role: "user", content: "x" }], temperature: 9 }),
        400,
        /temperature/,
      ],
      [
        () =>
          client.chat.completions.create(
            { model: "function::chat", messages: [{ role: "user", content: "x" }] },
            { headers: { "x-llmops-episode-id": "nope" } },
          ),
        400,
        /not a UUID/,
      ],
      [
        () => client.chat.completions.create({ model: "function::chat", messages: [{ role: "user", content: "x".repeat(1_100_000) }] }),
        413,
        /exceeds the limit/,
      ],
    ];
    for (const [call, status, message] of attempts) {
      const error = (await call().catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
      expect(error).toBeInstanceOf(OpenAI.APIError);
      expect(error.status).toBe(status);
      expect(error.message).toMatch(message);
      expect(error.type).toBe(status === 404 ? "not_found_error" : "invalid_request_error");
    }
  });
});
