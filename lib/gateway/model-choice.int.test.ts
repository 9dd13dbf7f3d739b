import OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { summariseCascades } from "@/lib/analytics/cascade";
import { cascadeStats } from "@/lib/analytics/cascade-queries.server";
import type { InferenceRow, ModelCallRow } from "@/lib/inference/tables";
import { openTestStores, rows, startTestGateway, type TestGateway, type TestStores } from "./testing/harness";
import { json, openaiAnswer, openaiStream, type UpstreamRequest, startUpstream, type Upstream } from "./testing/upstream";

/** Per-request model choice: routing rules before the draw, and cascade variants that escalate. */
const config = (upstream: string) => `
[recorder]
flush_ms = 5000

[providers.up]
type = "openai"
base_url = "${upstream}/v1"
max_retries = 0

[models.cheap]
routing = [{ provider = "up", model = "cheap-up" }]
price = { input = 1.0, output = 2.0 }

[models.strong]
routing = [{ provider = "up", model = "strong-up" }]
price = { input = 10.0, output = 20.0 }

[functions.extract.variants.cascade]
model = "cheap"
system = "Reply with JSON holding the email."
cascade = { models = ["strong"], json_schema = { type = "object", required = ["email"] }, refusal_pattern = "I can(no|')t" }

[functions.judged.variants.cascade]
model = "cheap"
cascade = { models = ["strong"], evaluator = "has_at" }

[functions.judged.evaluators.has_at]
type = "contains"
value = "@"

[functions.unsure.variants.cascade]
model = "cheap"
cascade = { models = ["strong"], min_mean_logprob = -1.0 }

[functions.routed.variants.small]
model = "cheap"
weight = 1

[functions.routed.variants.big]
model = "strong"
weight = 0

[[functions.routed.routing]]
name = "long"
variant = "big"
min_input_tokens = 50

[[functions.routed.routing]]
name = "vip"
variant = "big"
tags = { tier = "vip" }

[[functions.routed.routing]]
variant = "big"
hint = "strong"
`;

const lastUser = (req: UpstreamRequest) => {
  const messages = req.body.messages as { role: string; content: string }[];
  return messages.filter((m) => m.role === "user").at(-1)?.content ?? "";
};

const STRONG_PIECES = ['{"', "email", '":"', "strong", "@example", ".com", '"}'];

/** The cheap model answers per the user's instruction ("refuse", "prose", "good", "unsure"); the strong one always well. */
function behave(req: UpstreamRequest, res: Parameters<Parameters<typeof startUpstream>[0]>[1]) {
  const ask = lastUser(req);
  if (req.body.model === "strong-up")
    return req.body.stream
      ? openaiStream(res, req.body, STRONG_PIECES) // 7 pieces: 7 output tokens, as the answer below
      : json(res, 200, openaiAnswer(req.body, '{"email":"strong@example.com"}'));
  const reply = ask.includes("refuse")
    ? "I can't help with that."
    : ask.includes("prose")
      ? "The email is cheap at example dot com"
      : '{"email":"cheap@example.com"}';
  const answer = openaiAnswer(req.body, reply) as ReturnType<typeof openaiAnswer> & { choices: { logprobs?: unknown }[] };
  if (req.body.logprobs) {
    const logprob = ask.includes("unsure") ? -2.5 : -0.1;
    answer.choices[0]!.logprobs = {
      content: [
        { token: "x", logprob },
        { token: "y", logprob },
      ],
    };
  }
  return json(res, 200, answer);
}

describe("per-request model choice", () => {
  let env: TestStores;
  let upstream: Upstream;
  let gw: TestGateway;
  let client: OpenAI;
  beforeAll(async () => {
    env = await openTestStores();
    upstream = await startUpstream(behave);
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

  async function logged(id: string) {
    await gw.gateway.recorder.flush();
    const [row] = await rows<InferenceRow>(env.stores, "SELECT * FROM inferences WHERE id = {id:UUID}", { id });
    const calls = await rows<ModelCallRow>(env.stores, "SELECT * FROM model_calls WHERE inference_id = {id:UUID} ORDER BY attempt", { id });
    return { row: row!, calls };
  }

  it("a cascade keeps the cheap answer when it passes the checks", async () => {
    const { data, response } = await client.chat.completions
      .create({ model: "function::extract", messages: [{ role: "user", content: "good: mail me at cheap@example.com" }] })
      .withResponse();
    expect(data.choices[0]!.message.content).toBe('{"email":"cheap@example.com"}');
    expect(upstream.requests.map((r) => r.body.model)).toEqual(["cheap-up"]);
    const { row, calls } = await logged(data.id);
    expect(response.headers.get("x-llmops-variant")).toBe("cascade");
    expect(row).toMatchObject({ model_name: "cheap", tags: { "llmops.cascade": "0" } });
    expect(calls).toHaveLength(1);
    expect(row.cost).toBeCloseTo((11 * 1 + 7 * 2) / 1e6, 12);
  });

  it("escalates on a refusal and on an answer that fails the JSON schema; each step is a model call, the cost is both", async () => {
    for (const [ask, reason] of [
      ["refuse please", "refusal"],
      ["prose please", "not JSON"],
    ] as const) {
      upstream.requests.length = 0;
      const data = await client.chat.completions.create({ model: "function::extract", messages: [{ role: "user", content: ask }] });
      expect(data.choices[0]!.message.content).toBe('{"email":"strong@example.com"}');
      expect(upstream.requests.map((r) => r.body.model)).toEqual(["cheap-up", "strong-up"]);
      const { row, calls } = await logged(data.id);
      expect(row).toMatchObject({
        model_name: "strong",
        variant_name: "cascade",
        tags: { "llmops.cascade": "1", "llmops.cascade_reason": reason },
      });
      expect(calls.map((c) => [c.attempt, c.model_name, c.status])).toEqual([
        [0, "cheap", "ok"],
        [1, "strong", "ok"],
      ]);
      expect(row.cost).toBeCloseTo((11 * 1 + 7 * 2 + 11 * 10 + 7 * 20) / 1e6, 12);
    }
  });

  it("escalates when the function's evaluator fails, and on a low mean logprob (asked of the provider)", async () => {
    const judged = await client.chat.completions.create({ model: "function::judged", messages: [{ role: "user", content: "prose" }] });
    expect(judged.choices[0]!.message.content).toBe('{"email":"strong@example.com"}');
    expect((await logged(judged.id)).row.tags).toMatchObject({
      "llmops.cascade": "1",
      "llmops.cascade_reason": expect.stringMatching(/has_at/),
    });

    upstream.requests.length = 0;
    const sure = await client.chat.completions.create({ model: "function::unsure", messages: [{ role: "user", content: "good" }] });
    expect(upstream.requests.map((r) => [r.body.model, r.body.logprobs])).toEqual([["cheap-up", true]]);
    expect((await logged(sure.id)).row.tags["llmops.cascade"]).toBe("0");
    const unsure = await client.chat.completions.create({ model: "function::unsure", messages: [{ role: "user", content: "unsure" }] });
    expect((await logged(unsure.id)).row.tags).toMatchObject({
      "llmops.cascade": "1",
      "llmops.cascade_reason": "mean logprob -2.500 < -1",
    });
  });

  it("streams a cascade: the cheap step buffered and checked, the escalated last step live, each a model call", async () => {
    const { data: stream, response } = await client.chat.completions
      .create({
        model: "function::extract",
        messages: [{ role: "user", content: "refuse" }],
        stream: true,
        stream_options: { include_usage: true },
      })
      .withResponse();
    let text = "";
    let chunks = 0;
    let usage: (OpenAI.CompletionUsage & { cost?: number }) | undefined;
    for await (const chunk of stream) {
      const piece = chunk.choices[0]?.delta.content;
      if (piece) chunks += 1;
      text += piece ?? "";
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe('{"email":"strong@example.com"}');
    // The strong model was asked for a stream and its pieces relayed as they came.
    expect(upstream.requests.map((r) => [r.body.model, r.body.stream])).toEqual([
      ["cheap-up", false],
      ["strong-up", true],
    ]);
    expect(chunks).toBe(STRONG_PIECES.length);
    const cost = (11 * 1 + 7 * 2 + 11 * 10 + 7 * 20) / 1e6;
    expect(usage?.cost).toBeCloseTo(cost, 12);
    const { row, calls } = await logged(response.headers.get("x-llmops-inference-id")!);
    expect(row).toMatchObject({ model_name: "strong", streamed: true, input_tokens: 11, output_tokens: 7 });
    expect(row.cost).toBeCloseTo(cost, 12);
    expect(row.tags).toMatchObject({ "llmops.cascade": "1", "llmops.cascade_reason": expect.stringContaining("refusal") });
    expect(calls.map((c) => [c.attempt, c.model_name])).toEqual([
      [0, "cheap"],
      [1, "strong"],
    ]);

    // A cheap answer that passes is streamed from the buffer; only the cheap model is asked.
    upstream.requests.length = 0;
    const kept = await client.chat.completions.create({
      model: "function::judged",
      messages: [{ role: "user", content: "good" }],
      stream: true,
    });
    text = "";
    for await (const chunk of kept) text += chunk.choices[0]?.delta.content ?? "";
    expect(text).toBe('{"email":"cheap@example.com"}');
    expect(upstream.requests.map((r) => r.body.model)).toEqual(["cheap-up"]);
  });

  it("routing rules pick the variant before the draw: by input size, tags and an explicit hint", async () => {
    const variant = async (content: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) => {
      const { data, response } = await client.chat.completions
        .create({ model: "function::routed", messages: [{ role: "user", content }], ...extra }, { headers })
        .withResponse();
      return { variant: response.headers.get("x-llmops-variant"), id: data.id };
    };
    expect((await variant("short")).variant).toBe("small");
    const long = await variant("a long question ".repeat(20));
    expect(long.variant).toBe("big");
    expect((await logged(long.id)).row.tags).toMatchObject({ "llmops.route": "long" });
    expect((await variant("short", { llmops: { tags: { tier: "vip" } } })).variant).toBe("big");
    expect((await variant("short", { llmops: { tags: { tier: "free" } } })).variant).toBe("small");
    const hinted = await variant("short", {}, { "x-llmops-hint": "strong" });
    expect(hinted.variant).toBe("big");
    expect((await logged(hinted.id)).row.tags).toMatchObject({ "llmops.route": "rule-3" });
    expect((await variant("short", { llmops: { hint: "strong" } })).variant).toBe("big");
  });

  it("the function page's figures: escalation rate and cost saved against the strongest model", async () => {
    await gw.gateway.recorder.flush();
    const stats = await cascadeStats(env.stores.clickhouse.client, "extract", Date.now() - 3_600_000, Date.now() + 60_000);
    // One answer kept from the cheap model, three escalated (refusal, prose, the streamed refusal).
    expect(stats).toEqual([
      { variant: "cascade", inferences: 4, escalated: 3, cost: expect.any(Number), inputTokens: 44, outputTokens: 28 },
    ]);
    const prices = Object.fromEntries(Object.entries(gw.gateway.config.models).map(([n, m]) => [n, m.price]));
    const [summary] = summariseCascades(stats, { cascade: { model: "cheap", models: ["strong"] } }, prices);
    expect(summary!.escalationRate).toBe(0.75);
    expect(summary!.cost).toBeCloseTo((4 * (11 + 14) + 3 * (110 + 140)) / 1e6, 12);
    expect(summary!.saved).toBeCloseTo((4 * (110 + 140)) / 1e6 - summary!.cost, 12);
  });
});
