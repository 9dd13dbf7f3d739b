import type { ServerResponse } from "node:http";
import { createOpenAI } from "@ai-sdk/openai";
import { embed, embedMany, generateText, jsonSchema, streamText, tool } from "ai";
import OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { InferenceRow } from "@/lib/inference/tables";
import { openTestStores, rows, startTestGateway, type TestGateway, type TestStores } from "./testing/harness";
import {
  json,
  openaiAnswer,
  openaiEmbeddingsAnswer,
  openaiStream,
  openaiToolAnswer,
  startUpstream,
  type Upstream,
  type UpstreamRequest,
} from "./testing/upstream";

/** The Responses API on the chat path, with the official SDK and the Vercel AI SDK's default (Responses) provider. */
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

[functions.chat.variants.main]
model = "gpt"
system = "You are terse."

[functions.greet.variants.a]
model = "gpt"
system = "Greet {{name}}."
`;

const answer = (req: UpstreamRequest, res: ServerResponse) =>
  req.path.endsWith("/embeddings") ? json(res, 200, openaiEmbeddingsAnswer(req.body)) : json(res, 200, openaiAnswer(req.body));

describe("the Responses API", () => {
  let env: TestStores;
  let upstream: Upstream;
  let gw: TestGateway;
  let client: OpenAI;
  beforeAll(async () => {
    env = await openTestStores();
    upstream = await startUpstream(answer);
    gw = await startTestGateway(env.stores, config(upstream.url));
    client = new OpenAI({ baseURL: `${gw.url}/openai/v1`, apiKey: "unused", maxRetries: 0 });
  });
  beforeEach(() => {
    upstream.requests.length = 0;
    upstream.setBehaviour(answer);
  });
  afterAll(async () => {
    await gw?.close();
    await upstream?.close();
    await env?.cleanup();
  });

  it("answers a string input with instructions, recorded as a chat inference with its cost", async () => {
    const { data, response } = await client.responses
      .create({ model: "function::chat", input: "hello", instructions: "Answer in French.", temperature: 0.1, max_output_tokens: 50 })
      .withResponse();
    expect(data.object).toBe("response");
    expect(data.status).toBe("completed");
    expect(data.output_text).toBe("upstream says: hello");
    expect(data.output[0]).toMatchObject({
      type: "message",
      role: "assistant",
      content: [{ type: "output_text", text: "upstream says: hello" }],
    });
    expect(data.usage).toMatchObject({ input_tokens: 11, output_tokens: 7, total_tokens: 18 });
    expect(response.headers.get("x-llmops-cost-usd")).toBe("0.000078");
    expect(upstream.requests[0]!.body).toMatchObject({
      temperature: 0.1,
      max_completion_tokens: 50,
      messages: [
        { role: "system", content: "You are terse." },
        { role: "system", content: "Answer in French." },
        { role: "user", content: "hello" },
      ],
    });
    const inferenceId = response.headers.get("x-llmops-inference-id")!;
    expect(data.id).toBe(`resp_${inferenceId}`);
    await gw.gateway.recorder.flush();
    const [row] = await rows<InferenceRow>(env.stores, "SELECT * FROM inferences WHERE id = {id:UUID}", { id: inferenceId });
    expect(row).toMatchObject({ function_name: "chat", variant_name: "main", status: "ok" });
    expect(JSON.parse(row!.input)).toMatchObject({ instructions: "Answer in French.", messages: [{ role: "user", content: "hello" }] });
  });

  it("calls tools and takes their output back as items; json_schema becomes the response_format", async () => {
    upstream.setBehaviour((req, res) => json(res, 200, openaiToolAnswer(req.body, "weather", { city: "Paris" })));
    const tools: OpenAI.Responses.Tool[] = [
      {
        type: "function",
        name: "weather",
        description: "Weather",
        parameters: { type: "object", properties: { city: { type: "string" } } },
        strict: false,
      },
    ];
    const first = await client.responses.create({ model: "model::gpt", input: [{ role: "user", content: "weather?" }], tools });
    const call = first.output[0]!;
    expect(call).toMatchObject({
      type: "function_call",
      call_id: "call_1",
      name: "weather",
      arguments: '{"city":"Paris"}',
      status: "completed",
    });
    expect(upstream.requests[0]!.body.tools).toEqual([
      {
        type: "function",
        function: {
          name: "weather",
          description: "Weather",
          parameters: tools[0]!.type === "function" ? tools[0]!.parameters : {},
          strict: false,
        },
      },
    ]);
    upstream.setBehaviour(answer);
    const second = await client.responses.create({
      model: "model::gpt",
      input: [
        { role: "user", content: "weather?" },
        call as OpenAI.Responses.ResponseFunctionToolCall,
        { type: "function_call_output", call_id: "call_1", output: "sunny" },
        { role: "user", content: [{ type: "input_text", text: "and so?" }] },
      ],
      text: {
        format: { type: "json_schema", name: "answer", schema: { type: "object", properties: { a: { type: "string" } } }, strict: true },
      },
    });
    expect(second.output_text).toBe("upstream says: and so?");
    expect(upstream.requests[1]!.body).toMatchObject({
      messages: [
        { role: "user", content: "weather?" },
        { role: "assistant", content: null, tool_calls: [{ id: "call_1", type: "function", function: { name: "weather" } }] },
        { role: "tool", tool_call_id: "call_1", content: "sunny" },
        { role: "user", content: [{ type: "text", text: "and so?" }] },
      ],
      response_format: { type: "json_schema", json_schema: { name: "answer", strict: true } },
    });
  });

  it("streams the typed events in order, and the SDK assembles the final response", async () => {
    upstream.setBehaviour((req, res) => openaiStream(res, req.body, ["Hel", "lo"]));
    const stream = await client.responses.create({ model: "function::chat", input: "hi", stream: true });
    const types: string[] = [];
    let text = "";
    let final: OpenAI.Responses.Response | undefined;
    const sequence: number[] = [];
    for await (const event of stream) {
      types.push(event.type);
      sequence.push(event.sequence_number);
      if (event.type === "response.output_text.delta") text += event.delta;
      if (event.type === "response.completed") final = event.response;
    }
    expect(types).toEqual([
      "response.created",
      "response.in_progress",
      "response.output_item.added",
      "response.content_part.added",
      "response.output_text.delta",
      "response.output_text.delta",
      "response.output_text.done",
      "response.content_part.done",
      "response.output_item.done",
      "response.completed",
    ]);
    expect(sequence).toEqual(sequence.map((_, i) => i));
    expect(text).toBe("Hello");
    expect(final).toMatchObject({ status: "completed", output_text: "Hello", usage: { input_tokens: 11, output_tokens: 2 } });
    expect((final!.usage as unknown as { cost: number }).cost).toBeCloseTo((11 * 2 + 2 * 8) / 1e6, 12);

    const helper = client.responses.stream({ model: "function::chat", input: "again" });
    const done = await helper.finalResponse();
    expect(done.output_text).toBe("Hello");
  });

  it("continues a previous response in its episode, on its variant, with its variables", async () => {
    const first = await client.responses.create({ model: "function::greet", input: "hi", llmops: { variables: { name: "Ada" } } } as never);
    const second = await client.responses.create({
      model: "function::greet",
      input: "and again",
      previous_response_id: (first as OpenAI.Responses.Response).id,
    });
    expect(upstream.requests[1]!.body.messages).toEqual([
      { role: "system", content: "Greet Ada." },
      { role: "user", content: "hi" },
      { role: "assistant", content: "upstream says: hi" },
      { role: "user", content: "and again" },
    ]);
    await gw.gateway.recorder.flush();
    const found = await rows<{ episode_id: string }>(
      env.stores,
      "SELECT toString(episode_id) AS episode_id FROM inferences WHERE id IN ({a:UUID}, {b:UUID})",
      {
        a: (first as OpenAI.Responses.Response).id.slice(5),
        b: second.id.slice(5),
      },
    );
    expect(new Set(found.map((r) => r.episode_id)).size).toBe(1);
    const missing = await client.responses
      .create({ model: "function::chat", input: "x", previous_response_id: "resp_0190a5a8-0000-7000-8000-000000000000" })
      .catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(OpenAI.NotFoundError);
  });

  it("returns the output text's logprobs when asked (include or top_logprobs), translated from chat logprobs", async () => {
    const lp = (token: string, logprob: number) => ({
      token,
      logprob,
      bytes: [...Buffer.from(token)],
      top_logprobs: [{ token, logprob, bytes: [...Buffer.from(token)] }],
    });
    upstream.setBehaviour((req, res) => {
      if (!req.body.stream) {
        const base = openaiAnswer(req.body, "Hi there");
        const choice = { ...base.choices[0]!, logprobs: { content: [lp("Hi", -0.25), lp(" there", -0.5)] } };
        return json(res, 200, { ...base, choices: [choice] });
      }
      res.writeHead(200, { "content-type": "text/event-stream" });
      for (const [token, logprob] of [
        ["Hi", -0.25],
        [" there", -0.5],
      ] as const)
        res.write(
          `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: token }, logprobs: { content: [lp(token, logprob)] } }] })}\n\n`,
        );
      res.write(`data: ${JSON.stringify({ choices: [{ index: 0, delta: {}, finish_reason: "stop" }] })}\n\n`);
      res.end("data: [DONE]\n\n");
    });
    const include: OpenAI.Responses.ResponseIncludable[] = ["message.output_text.logprobs"];
    const data = await client.responses.create({ model: "model::gpt", input: "hi", include });
    expect(upstream.requests[0]!.body).toMatchObject({ logprobs: true, top_logprobs: 0 });
    const part = data.output[0]!.type === "message" ? data.output[0]!.content[0] : undefined;
    expect(part).toMatchObject({ type: "output_text", text: "Hi there", logprobs: [lp("Hi", -0.25), lp(" there", -0.5)] });

    const stream = await client.responses.create({ model: "model::gpt", input: "hi", top_logprobs: 1, stream: true });
    expect(upstream.requests[1]!.body).toMatchObject({ logprobs: true, top_logprobs: 1 });
    const deltas: number[] = [];
    let done: unknown[] = [];
    for await (const event of stream) {
      if (event.type === "response.output_text.delta") deltas.push(...event.logprobs.map((l) => l.logprob));
      if (event.type === "response.output_text.done") done = event.logprobs ?? [];
    }
    expect(deltas).toEqual([-0.25, -0.5]);
    expect(done).toEqual([lp("Hi", -0.25), lp(" there", -0.5)]);

    upstream.setBehaviour(answer);
    await client.responses.create({ model: "model::gpt", input: "hi" });
    expect(upstream.requests[2]!.body).not.toHaveProperty("logprobs");
  });

  it("refuses what the chat path cannot carry, naming the field", async () => {
    for (const [body, param] of [
      [{ model: "model::gpt", input: "x", tools: [{ type: "web_search" }] }, "tools[0].type"],
      [{ model: "model::gpt", input: [{ type: "item_reference", id: "x" }] }, "input[0].type"],
      [{ model: "model::gpt", input: "x", background: true }, "background"],
    ] as const) {
      const error = await client.responses.create(body as never).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OpenAI.BadRequestError);
      expect((error as InstanceType<typeof OpenAI.BadRequestError>).param).toBe(param);
    }
  });

  it("serves the Vercel AI SDK's default (Responses) provider: generateText, streamText with a tool, embed", async () => {
    const provider = createOpenAI({ baseURL: `${gw.url}/openai/v1`, apiKey: "unused" });
    const generated = await generateText({ model: provider("function::chat"), prompt: "hello", maxRetries: 0 });
    expect(generated.text).toBe("upstream says: hello");
    expect(generated.response.id).toMatch(/^resp_/);
    expect(generated.usage.inputTokens).toBe(11);
    expect(upstream.requests[0]!.path).toBe("/v1/chat/completions");

    upstream.setBehaviour((req, res) => openaiStream(res, req.body, ["str", "eamed"]));
    const streamed = streamText({ model: provider("model::gpt"), prompt: "go", maxRetries: 0 });
    let text = "";
    for await (const piece of streamed.textStream) text += piece;
    expect(text).toBe("streamed");
    expect((await streamed.usage).outputTokens).toBe(2);

    upstream.setBehaviour((req, res) => json(res, 200, openaiToolAnswer(req.body, "weather", { city: "Oslo" })));
    const withTool = await generateText({
      model: provider("model::gpt"),
      prompt: "weather?",
      maxRetries: 0,
      tools: {
        weather: tool({
          description: "Weather",
          inputSchema: jsonSchema<{ city: string }>({ type: "object", properties: { city: { type: "string" } } }),
        }),
      },
    });
    expect(withTool.toolCalls).toMatchObject([{ toolName: "weather", input: { city: "Oslo" } }]);

    upstream.setBehaviour(answer);
    const one = await embed({ model: provider.embedding("model::embed"), value: "abc", maxRetries: 0 });
    expect(one.embedding).toEqual([1, 3, 0.5]);
    const many = await embedMany({ model: provider.embedding("model::embed"), values: ["a", "bb"], maxRetries: 0 });
    expect(many.embeddings).toEqual([
      [1, 1, 0.5],
      [2, 2, 0.5],
    ]);
  });
});
