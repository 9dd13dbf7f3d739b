import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { InferenceRow } from "@/lib/inference/tables";
import { openTestStores, rows, startTestGateway, type TestGateway, type TestStores } from "./testing/harness";
import { anthropicAnswer, anthropicStream, json, startUpstream, type Upstream } from "./testing/upstream";

const config = (upstream: string) => `
[providers.claude]
type = "anthropic"
base_url = "${upstream}/v1"
api_key_env = "LLMOPS_TEST_ANTHROPIC_KEY"
max_retries = 0

[models.sonnet]
routing = [{ provider = "claude", model = "claude-test" }]
price = { input = 3.0, output = 15.0 }
`;

describe("Anthropic provider behind the OpenAI route (official openai SDK as the client)", () => {
  let env: TestStores;
  let upstream: Upstream;
  let gw: TestGateway;
  let client: OpenAI;
  beforeAll(async () => {
    process.env.LLMOPS_TEST_ANTHROPIC_KEY = "ak-test";
    env = await openTestStores();
    upstream = await startUpstream((_req, res) => json(res, 200, anthropicAnswer("Bonjour")));
    gw = await startTestGateway(env.stores, config(upstream.url));
    client = new OpenAI({ baseURL: `${gw.url}/openai/v1`, apiKey: "unused", maxRetries: 0 });
  });
  afterAll(async () => {
    await gw?.close();
    await upstream?.close();
    await env?.cleanup();
  });

  it("translates a request with system, tools and a tool result into the Messages API, and the answer back", async () => {
    const data = await client.chat.completions.create({
      model: "sonnet",
      max_tokens: 300,
      temperature: 1.5,
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "weather in Paris?" },
        {
          role: "assistant",
          content: null,
          tool_calls: [{ id: "tu_1", type: "function", function: { name: "weather", arguments: '{"city":"Paris"}' } }],
        },
        { role: "tool", tool_call_id: "tu_1", content: "sunny" },
      ],
      tools: [
        {
          type: "function",
          function: {
            name: "weather",
            description: "Weather now",
            parameters: { type: "object", properties: { city: { type: "string" } } },
          },
        },
      ],
      tool_choice: "required",
    });
    expect(data.choices[0]!.message.content).toBe("Bonjour");
    expect(data.usage).toMatchObject({ prompt_tokens: 13, completion_tokens: 5 });
    const sent = upstream.requests[0]!;
    expect(sent.path).toBe("/v1/messages");
    expect(sent.headers["x-api-key"]).toBe("ak-test");
    expect(sent.headers["anthropic-version"]).toBe("2023-06-01");
    expect(sent.body).toEqual({
      model: "claude-test",
      max_tokens: 300,
      temperature: 1,
      system: "Be brief.",
      messages: [
        { role: "user", content: [{ type: "text", text: "weather in Paris?" }] },
        { role: "assistant", content: [{ type: "tool_use", id: "tu_1", name: "weather", input: { city: "Paris" } }] },
        { role: "user", content: [{ type: "tool_result", tool_use_id: "tu_1", content: "sunny" }] },
      ],
      tools: [{ name: "weather", description: "Weather now", input_schema: { type: "object", properties: { city: { type: "string" } } } }],
      tool_choice: { type: "any" },
    });
  });

  it("maps tool_use answers to tool calls", async () => {
    upstream.setBehaviour((_req, res) => json(res, 200, anthropicAnswer("", [{ id: "tu_2", name: "weather", input: { city: "Oslo" } }])));
    const data = await client.chat.completions.create({
      model: "sonnet",
      messages: [{ role: "user", content: "Oslo?" }],
      tools: [{ type: "function", function: { name: "weather" } }],
    });
    expect(data.choices[0]!.finish_reason).toBe("tool_calls");
    expect(data.choices[0]!.message.content).toBeNull();
    expect(data.choices[0]!.message.tool_calls).toEqual([
      { id: "tu_2", type: "function", function: { name: "weather", arguments: '{"city":"Oslo"}' } },
    ]);
    expect(upstream.requests.at(-1)!.body.max_tokens).toBe(4096);
  });

  it("translates streaming events (text and tool_use) into OpenAI chunks, with usage", async () => {
    upstream.setBehaviour((_req, res) => anthropicStream(res, ["Sa", "lut"], { id: "tu_3", name: "lookup", json: ['{"q"', ':"x"}'] }));
    const stream = client.chat.completions.stream({
      model: "sonnet",
      messages: [{ role: "user", content: "hi" }],
      stream_options: { include_usage: true },
    });
    const final = await stream.finalChatCompletion();
    expect(final.choices[0]!.message.content).toBe("Salut");
    expect(final.choices[0]!.message.tool_calls).toMatchObject([{ id: "tu_3", function: { name: "lookup", arguments: '{"q":"x"}' } }]);
    expect(final.choices[0]!.finish_reason).toBe("tool_calls");
    expect(final.usage).toMatchObject({ prompt_tokens: 13, completion_tokens: 9 });
    await gw.gateway.recorder.flush();
    const [row] = await rows<InferenceRow>(env.stores, "SELECT * FROM inferences WHERE id = {id:UUID}", { id: final.id });
    expect(row).toMatchObject({ provider_name: "claude", input_tokens: 13, output_tokens: 9, streamed: true, status: "ok" });
    expect(row!.cost).toBeCloseTo((13 * 3 + 9 * 15) / 1e6, 12);
  });

  it("maps an Anthropic overload (529) to a 502 and a stream without message_stop to an error", async () => {
    upstream.setBehaviour((_req, res) => json(res, 529, { type: "error", error: { type: "overloaded_error", message: "Overloaded" } }));
    const error = (await client.chat.completions
      .create({ model: "sonnet", messages: [{ role: "user", content: "x" }] })
      .catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
    expect(error.status).toBe(502);
    expect(error.message).toMatch(/HTTP 529: Overloaded/);

    upstream.setBehaviour((_req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write(`event: message_start\ndata: ${JSON.stringify({ type: "message_start", message: { usage: { input_tokens: 3 } } })}\n\n`);
      res.write(
        `event: content_block_delta\ndata: ${JSON.stringify({ type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "half" } })}\n\n`,
      );
      setTimeout(() => res.end(), 20);
    });
    const stream = await client.chat.completions.create({ model: "sonnet", messages: [{ role: "user", content: "x" }], stream: true });
    let text = "";
    const broken = await (async () => {
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
    })().catch((e: unknown) => e);
    expect(text).toBe("half");
    expect(String(broken)).toMatch(/ended before message_stop/);
  });
});
