import type { ServerResponse } from "node:http";
import { createOpenAI } from "@ai-sdk/openai";
import { generateText, streamText } from "ai";
import OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { InferenceRow, ModelCallRow } from "@/lib/inference/tables";
import { openTestStores, rows, startTestGateway, type TestGateway, type TestStores } from "./testing/harness";
import {
  json,
  openaiAnswer,
  openaiStream,
  responsesAnswer,
  responsesStream,
  startUpstream,
  type Upstream,
  type UpstreamRequest,
} from "./testing/upstream";

/** The Responses API passed through natively to a provider with `api = "responses"`, beside a chat-only one. */
const config = (upstream: string) => `
[providers.native]
type = "openai"
base_url = "${upstream}/v1"
api = "responses"
max_retries = 0

[providers.chatonly]
type = "openai"
base_url = "${upstream}/v1"
max_retries = 0

[models.gpt5]
routing = [{ provider = "native", model = "gpt-5-up" }]
price = { input = 1.0, output = 10.0 }

[models.both]
routing = [{ provider = "native", model = "gpt-5-up" }, { provider = "chatonly", model = "gpt-chat-up" }]

[models.gptchat]
routing = [{ provider = "chatonly", model = "gpt-chat-up" }]
price = { input = 2.0, output = 8.0 }

[functions.ab.variants.native]
model = "gpt5"
system = "You are terse."
temperature = 0.3

[functions.ab.variants.chat]
model = "gptchat"
system = "You are terse."
`;

const answer = (req: UpstreamRequest, res: ServerResponse) => {
  if (req.path.endsWith("/responses"))
    return req.body.stream ? responsesStream(res, req.body, ["Hel", "lo"]) : json(res, 200, responsesAnswer(req.body));
  return req.body.stream ? openaiStream(res, req.body, ["Hel", "lo"]) : json(res, 200, openaiAnswer(req.body));
};

const pinned = (variant: string) => ({ headers: { "x-llmops-variant": variant } });

describe("the Responses API passed through natively", () => {
  let env: TestStores;
  let upstream: Upstream;
  let gw: TestGateway;
  let client: OpenAI;
  const flush = async () => {
    await gw.gateway.recorder.flush();
  };
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

  it("forwards the client's body with the variant's prompt and parameters, answers the upstream's Response, records it", async () => {
    const { data, response } = await client.responses
      .create({ model: "function::ab", input: "hello", reasoning: { effort: "low" }, store: false }, pinned("native"))
      .withResponse();
    const sent = upstream.requests[0]!;
    expect(sent.path).toBe("/v1/responses");
    expect(sent.body).toEqual({
      model: "gpt-5-up",
      input: [
        { type: "message", role: "system", content: "You are terse." },
        { role: "user", content: "hello" },
      ],
      reasoning: { effort: "low" },
      store: false,
      temperature: 0.3,
      stream: false,
    });
    const inferenceId = response.headers.get("x-llmops-inference-id")!;
    expect(data.id).toBe(`resp_${inferenceId}`);
    expect(data.model).toBe("function::ab");
    // The upstream's own output, its reasoning item included (the chat path has none).
    expect(data.output.map((item) => item.type)).toEqual(["reasoning", "message"]);
    expect(data.output_text).toBe("native says: hello");
    expect(data.usage).toMatchObject({ input_tokens: 21, output_tokens: 9, output_tokens_details: { reasoning_tokens: 4 } });
    expect(response.headers.get("x-llmops-cost-usd")).toBe("0.000111");
    expect((data.usage as unknown as { cost: number }).cost).toBeCloseTo((21 * 1 + 9 * 10) / 1e6, 12);

    await flush();
    const [row] = await rows<InferenceRow>(env.stores, "SELECT * FROM inferences WHERE id = {id:UUID}", { id: inferenceId });
    expect(row).toMatchObject({ function_name: "ab", variant_name: "native", input_tokens: 21, output_tokens: 9, status: "ok" });
    expect(row!.cost).toBeCloseTo(0.000111, 12);
    expect(JSON.parse(row!.output)).toEqual({ content: "native says: hello", finish_reason: "stop" });
    const calls = await rows<ModelCallRow>(env.stores, "SELECT * FROM model_calls WHERE inference_id = {id:UUID}", { id: inferenceId });
    expect(calls).toHaveLength(1);
    expect(JSON.parse(calls[0]!.request)).toMatchObject({ model: "gpt-5-up", input: [{ role: "system" }, { role: "user" }] });
  });

  it("keeps the A/B draw: each variant goes to its own provider, natively or translated to chat", async () => {
    const seen = new Map<string, string>();
    for (let i = 0; i < 16; i++) {
      const episode = `0190a5a8-0000-7000-8000-${String(i).padStart(12, "0")}`;
      upstream.requests.length = 0;
      const { data, response } = await client.responses
        .create({ model: "function::ab", input: "hi", llmops: { episode_id: episode } } as never)
        .withResponse();
      const variant = response.headers.get("x-llmops-variant")!;
      seen.set(variant, upstream.requests[0]!.path);
      expect((data as OpenAI.Responses.Response).output_text).toBe(variant === "native" ? "native says: hi" : "upstream says: hi");
    }
    expect(Object.fromEntries(seen)).toEqual({ native: "/v1/responses", chat: "/v1/chat/completions" });
  });

  it("relays the upstream's typed events as they come, under the gateway's response id, and records the stream", async () => {
    const { data: stream, response } = await client.responses
      .create({ model: "function::ab", input: "hi", stream: true }, pinned("native"))
      .withResponse();
    const inferenceId = response.headers.get("x-llmops-inference-id")!;
    const types: string[] = [];
    let text = "";
    let final: OpenAI.Responses.Response | undefined;
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === "response.output_text.delta") text += event.delta;
      if (event.type === "response.created") expect(event.response.id).toBe(`resp_${inferenceId}`);
      if (event.type === "response.completed") final = event.response;
    }
    expect(types).toEqual([
      "response.created",
      "response.in_progress",
      "response.output_item.added",
      "response.output_item.done",
      "response.output_item.added",
      "response.content_part.added",
      "response.output_text.delta",
      "response.output_text.delta",
      "response.output_text.done",
      "response.content_part.done",
      "response.output_item.done",
      "response.completed",
    ]);
    expect(text).toBe("Hello");
    expect(final).toMatchObject({
      id: `resp_${inferenceId}`,
      output: [{ type: "reasoning" }, { type: "message", content: [{ type: "output_text", text: "Hello" }] }],
      usage: { input_tokens: 21, output_tokens: 9 },
    });
    expect((final!.usage as unknown as { cost: number }).cost).toBeCloseTo(0.000111, 12);
    expect(upstream.requests[0]!.body).toMatchObject({ model: "gpt-5-up", stream: true });

    const helper = client.responses.stream({ model: "function::ab", input: "again" }, pinned("native"));
    expect((await helper.finalResponse()).output_text).toBe("Hello");

    await flush();
    const [row] = await rows<InferenceRow>(env.stores, "SELECT * FROM inferences WHERE id = {id:UUID}", { id: inferenceId });
    expect(row).toMatchObject({ variant_name: "native", streamed: true, input_tokens: 21, output_tokens: 9, status: "ok" });
    expect(JSON.parse(row!.output)).toEqual({ content: "Hello", finish_reason: "stop" });
  });

  it("continues a previous response by sending its recorded conversation as items", async () => {
    const first = await client.responses.create({ model: "function::ab", input: "hi" }, pinned("native"));
    await client.responses.create({ model: "function::ab", input: "and again", previous_response_id: first.id }, pinned("native"));
    const second = upstream.requests[1]!.body;
    expect(second.previous_response_id).toBeUndefined();
    expect(second.input).toEqual([
      { type: "message", role: "system", content: "You are terse." },
      { type: "message", role: "user", content: "hi" },
      { type: "message", role: "assistant", content: "native says: hi" },
      { role: "user", content: "and again" },
    ]);
  });

  it("passes the output text's logprobs through, streamed and not", async () => {
    const include: OpenAI.Responses.ResponseIncludable[] = ["message.output_text.logprobs"];
    const data = await client.responses.create({ model: "function::ab", input: "x", include, top_logprobs: 2 }, pinned("native"));
    expect(upstream.requests[0]!.body).toMatchObject({ include, top_logprobs: 2 });
    const message = data.output.find((item) => item.type === "message")!;
    expect(message.type === "message" && message.content[0]!.type === "output_text" && message.content[0]!.logprobs).toEqual([
      { token: "native says: ", logprob: -0.1, bytes: [...Buffer.from("native says: ")], top_logprobs: [] },
      { token: "x", logprob: -0.2, bytes: [...Buffer.from("x")], top_logprobs: [] },
    ]);
    const stream = await client.responses.create({ model: "function::ab", input: "x", include, stream: true }, pinned("native"));
    const logprobs: number[] = [];
    for await (const event of stream)
      if (event.type === "response.output_text.delta") logprobs.push(...event.logprobs.map((l) => l.logprob));
    expect(logprobs).toEqual([-0.1, -0.2]);
  });

  it("falls back from a failing native provider to a chat-only one; a native stream that breaks is logged as an error", async () => {
    upstream.setBehaviour((req, res) =>
      req.path.endsWith("/responses") ? json(res, 503, { error: { message: "busy" } }) : answer(req, res),
    );
    const { data, response } = await client.responses.create({ model: "model::both", input: "hi" }).withResponse();
    expect(upstream.requests.map((r) => r.path)).toEqual(["/v1/responses", "/v1/chat/completions"]);
    expect(data.output_text).toBe("upstream says: hi");
    await flush();
    const id = response.headers.get("x-llmops-inference-id")!;
    const calls = await rows<ModelCallRow>(env.stores, "SELECT * FROM model_calls WHERE inference_id = {id:UUID} ORDER BY attempt", { id });
    expect(calls.map((c) => [c.provider_name, c.status])).toEqual([
      ["native", "error"],
      ["chatonly", "ok"],
    ]);

    // Before its first real piece (response.created is held back) a native stream can still fall back.
    upstream.requests.length = 0;
    upstream.setBehaviour((req, res) => {
      if (!req.path.endsWith("/responses")) return answer(req, res);
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write(
        `data: ${JSON.stringify({ type: "response.created", sequence_number: 0, response: { id: "r", status: "in_progress" } })}\n\n`,
      );
      res.end(`data: ${JSON.stringify({ type: "error", sequence_number: 1, code: "server_error", message: "overloaded" })}\n\n`);
    });
    const fellBack = await client.responses.create({ model: "model::both", input: "hi", stream: true });
    let text = "";
    for await (const event of fellBack) if (event.type === "response.output_text.delta") text += event.delta;
    expect(text).toBe("Hello");
    expect(upstream.requests.map((r) => r.path)).toEqual(["/v1/responses", "/v1/chat/completions"]);

    upstream.setBehaviour(async (_req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write(
        `data: ${JSON.stringify({ type: "response.created", sequence_number: 0, response: { id: "r", status: "in_progress" } })}\n\n`,
      );
      res.write(`data: ${JSON.stringify({ type: "response.output_text.delta", sequence_number: 1, output_index: 0, delta: "Hal" })}\n\n`);
      await new Promise((resolve) => setTimeout(resolve, 100)); // the pieces leave before the cut
      res.destroy();
    });
    const { data: stream, response: streamed } = await client.responses
      .create({ model: "function::ab", input: "hi", stream: true }, pinned("native"))
      .withResponse();
    const seen: [string, number][] = [];
    for await (const event of stream) seen.push([event.type, event.sequence_number]);
    // What came is relayed, then the Responses API's own `error` event, numbered after them.
    expect(seen).toEqual([
      ["response.created", 0],
      ["response.output_text.delta", 1],
      ["error", 2],
    ]);
    await flush();
    const [row] = await rows<InferenceRow>(env.stores, "SELECT * FROM inferences WHERE id = {id:UUID}", {
      id: streamed.headers.get("x-llmops-inference-id")!,
    });
    expect(row).toMatchObject({ status: "error", streamed: true });
    expect(JSON.parse(row!.output)).toMatchObject({ content: "Hal", partial: true, finish_reason: null });
  });

  it("serves the Vercel AI SDK's default (Responses) provider natively: generateText and streamText", async () => {
    const provider = createOpenAI({ baseURL: `${gw.url}/openai/v1`, apiKey: "unused", headers: { "x-llmops-variant": "native" } });
    const generated = await generateText({ model: provider("function::ab"), prompt: "hello", maxRetries: 0 });
    expect(generated.text).toBe("native says: hello");
    expect(generated.response.id).toMatch(/^resp_/);
    expect(generated.usage).toMatchObject({ inputTokens: 21, outputTokens: 9 });
    expect(upstream.requests[0]!.path).toBe("/v1/responses");

    const streamed = streamText({ model: provider("function::ab"), prompt: "go", maxRetries: 0 });
    let text = "";
    for await (const piece of streamed.textStream) text += piece;
    expect(text).toBe("Hello");
    expect((await streamed.usage).outputTokens).toBe(9);
    expect(upstream.requests[1]!.body).toMatchObject({ model: "gpt-5-up", stream: true });
  });
});
