import type { ServerResponse } from "node:http";
import OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { InferenceRow } from "@/lib/inference/tables";
import { openTestStores, rows, startTestGateway, type TestGateway, type TestStores } from "./testing/harness";
import { anthropicAnswer, json, openaiAnswer, startUpstream, type Upstream, type UpstreamRequest } from "./testing/upstream";

/** `n` > 1 on chat completions: forwarded to OpenAI-type providers, n deterministic choices from dummy, a 400 from Anthropic. */
const config = (upstream: string) => `
[providers.up]
type = "openai"
base_url = "${upstream}/v1"
max_retries = 0

[providers.claude]
type = "anthropic"
base_url = "${upstream}/v1"
max_retries = 0

[providers.dummy]
type = "dummy"
latency_ms = 0
ttft_ms = 0

[models.gpt]
routing = [{ provider = "up", model = "gpt-up" }]
price = { input = 1.0, output = 2.0 }

[models.claude]
routing = [{ provider = "claude", model = "claude-up" }]

[models.dum]
routing = [{ provider = "dummy" }]
`;

const text = (i: number, body: Record<string, unknown>) => `${openaiAnswer(body).choices[0]!.message.content} #${i}`;

/** n choices answered at once, or streamed with the choices' chunks interleaved (as OpenAI does). */
function answer(req: UpstreamRequest, res: ServerResponse) {
  if (req.path.endsWith("/messages")) return json(res, 200, anthropicAnswer("Bonjour"));
  const n = typeof req.body.n === "number" ? req.body.n : 1;
  if (!req.body.stream) {
    const choices = Array.from({ length: n }, (_, i) => ({
      index: i,
      message: { role: "assistant", content: text(i, req.body) },
      finish_reason: i === 1 ? "length" : "stop",
    }));
    return json(res, 200, { ...openaiAnswer(req.body), choices, usage: { prompt_tokens: 10, completion_tokens: 4 * n } });
  }
  res.writeHead(200, { "content-type": "text/event-stream" });
  const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) =>
    res.write(`data: ${JSON.stringify({ id: "c", object: "chat.completion.chunk", created: 1, model: "gpt-up", choices, ...extra })}\n\n`);
  for (let i = 0; i < n; i++) chunk([{ index: i, delta: { role: "assistant", content: "" }, finish_reason: null }]);
  for (const piece of ["a", "b"])
    for (let i = n - 1; i >= 0; i--) chunk([{ index: i, delta: { content: `${piece}${i}` }, finish_reason: null }]);
  for (let i = 0; i < n; i++) chunk([{ index: i, delta: {}, finish_reason: "stop" }]);
  chunk([], { usage: { prompt_tokens: 10, completion_tokens: 4 * n } });
  res.end("data: [DONE]\n\n");
}

describe("n > 1 choices on chat completions", () => {
  let env: TestStores;
  let upstream: Upstream;
  let gw: TestGateway;
  let client: OpenAI;
  const logged = async (id: string) => {
    await gw.gateway.recorder.flush();
    const [row] = await rows<InferenceRow>(env.stores, "SELECT * FROM inferences WHERE id = {id:UUID}", { id });
    return row!;
  };
  beforeAll(async () => {
    env = await openTestStores();
    upstream = await startUpstream(answer);
    gw = await startTestGateway(env.stores, config(upstream.url));
    client = new OpenAI({ baseURL: `${gw.url}/openai/v1`, apiKey: "unused", maxRetries: 0 });
  });
  beforeEach(() => {
    upstream.requests.length = 0;
  });
  afterAll(async () => {
    await gw?.close();
    await upstream?.close();
    await env?.cleanup();
  });

  it("forwards n to an OpenAI-type provider and returns every choice; the log keeps them all, tokens summed", async () => {
    const data = await client.chat.completions.create({ model: "gpt", messages: [{ role: "user", content: "hi" }], n: 3 });
    expect(upstream.requests[0]!.body.n).toBe(3);
    expect(data.choices.map((c) => [c.index, c.message.content, c.finish_reason])).toEqual([
      [0, "upstream says: hi #0", "stop"],
      [1, "upstream says: hi #1", "length"],
      [2, "upstream says: hi #2", "stop"],
    ]);
    expect(data.usage).toMatchObject({ prompt_tokens: 10, completion_tokens: 12 });
    const row = await logged(data.id);
    expect(row.output_tokens).toBe(12);
    const output = JSON.parse(row.output) as { content: string; choices: { content: string }[] };
    expect(output.content).toBe("upstream says: hi #0");
    expect(output.choices.map((c) => c.content)).toEqual(["upstream says: hi #0", "upstream says: hi #1", "upstream says: hi #2"]);

    // n = 1 is the default: not forwarded, one choice, no `choices` in the log.
    const one = await client.chat.completions.create({ model: "gpt", messages: [{ role: "user", content: "hi" }], n: 1 });
    expect(upstream.requests[1]!.body.n).toBeUndefined();
    expect(one.choices).toHaveLength(1);
    expect(JSON.parse((await logged(one.id)).output)).not.toHaveProperty("choices");
  });

  it("streams n choices with each chunk on its choice's index, and records every choice", async () => {
    const stream = await client.chat.completions.create({
      model: "gpt",
      messages: [{ role: "user", content: "hi" }],
      n: 2,
      stream: true,
      stream_options: { include_usage: true },
    });
    const texts = ["", ""];
    const finishes: (string | null)[] = [null, null];
    let id = "";
    let usage: OpenAI.CompletionUsage | undefined | null;
    for await (const chunk of stream) {
      id = chunk.id;
      if (chunk.usage) usage = chunk.usage;
      for (const choice of chunk.choices) {
        texts[choice.index] += choice.delta.content ?? "";
        if (choice.finish_reason) finishes[choice.index] = choice.finish_reason;
      }
    }
    expect(texts).toEqual(["a0b0", "a1b1"]);
    expect(finishes).toEqual(["stop", "stop"]);
    expect(usage).toMatchObject({ prompt_tokens: 10, completion_tokens: 8 });
    const output = JSON.parse((await logged(id)).output) as { content: string; choices: { content: string }[] };
    expect(output.content).toBe("a0b0");
    expect(output.choices.map((c) => c.content)).toEqual(["a0b0", "a1b1"]);
  });

  it("the dummy provider answers n deterministic choices, streamed and not", async () => {
    const data = await client.chat.completions.create({ model: "dum", messages: [{ role: "user", content: "hi" }], n: 3 });
    const expected = ["Echo: hi", "Echo: hi (choice 1)", "Echo: hi (choice 2)"];
    expect(data.choices.map((c) => c.message.content)).toEqual(expected);
    const stream = await client.chat.completions.create({ model: "dum", messages: [{ role: "user", content: "hi" }], n: 3, stream: true });
    const texts = ["", "", ""];
    for await (const chunk of stream) for (const choice of chunk.choices) texts[choice.index] += choice.delta.content ?? "";
    expect(texts).toEqual(expected);
  });

  it("Anthropic refuses n > 1 with a 400 naming it; n out of range is the client's 400", async () => {
    const refused = await client.chat.completions
      .create({ model: "claude", messages: [{ role: "user", content: "hi" }], n: 2 })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(OpenAI.BadRequestError);
    expect((refused as Error).message).toContain("n > 1");
    expect(upstream.requests).toHaveLength(0);
    const fine = await client.chat.completions.create({ model: "claude", messages: [{ role: "user", content: "hi" }], n: 1 });
    expect(fine.choices[0]!.message.content).toBe("Bonjour");
    for (const n of [0, 129, 1.5]) {
      const error = await client.chat.completions
        .create({ model: "gpt", messages: [{ role: "user", content: "hi" }], n })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OpenAI.BadRequestError);
      expect((error as InstanceType<typeof OpenAI.BadRequestError>).param).toBe("n");
    }
  });
});
