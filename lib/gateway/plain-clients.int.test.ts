import OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { FeedbackRow, InferenceRow } from "@/lib/inference/tables";
import { openTestStores, rows, startTestGateway, type TestGateway, type TestStores } from "./testing/harness";
import { json, openaiAnswer, startUpstream, type Upstream } from "./testing/upstream";

/** A function whose variants have templates with variables, called by a stock client that knows none of them. */
const config = (upstream: string) => `
[providers.up]
type = "openai"
base_url = "${upstream}/v1"
max_retries = 0

[models.gpt]
routing = [{ provider = "up", model = "gpt-upstream" }]

[functions.summarize.variants.concise]
model = "gpt"
weight = 50
system = "You summarise support tickets in one sentence."
user = "Ticket from {{customer}}:\\n{{ticket}}"

[functions.summarize.variants.styled]
model = "gpt"
weight = 50
system = "You summarise tickets in a {{tone}} tone."
user = "Ticket from {{customer}}:\\n{{ticket}}"

[metrics.helpful]
type = "boolean"
`;

describe("plain clients on functions (no template variables) with the official openai SDK", () => {
  let env: TestStores;
  let upstream: Upstream;
  let gw: TestGateway;
  let client: OpenAI;
  beforeAll(async () => {
    env = await openTestStores();
    upstream = await startUpstream((req, res) => json(res, 200, openaiAnswer(req.body)));
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

  const ticket = { role: "user" as const, content: "The export button does nothing in Firefox." };

  it("sends the caller's messages after the variant's fixed system prompt; a system prompt with variables is left out", async () => {
    const concise = await client.chat.completions
      .create({ model: "function::summarize", messages: [ticket], ...{ llmops: { variant: "concise" } } })
      .withResponse();
    expect(concise.data.choices[0]!.message.content).toBe(`upstream says: ${ticket.content}`);
    expect(concise.response.headers.get("x-llmops-variant")).toBe("concise");
    expect(upstream.requests[0]!.body.messages).toEqual([
      { role: "system", content: "You summarise support tickets in one sentence." },
      ticket,
    ]);

    const own = { role: "system" as const, content: "Answer in French." };
    await client.chat.completions.create({ model: "function::summarize", messages: [own, ticket], ...{ llmops: { variant: "styled" } } });
    expect(upstream.requests[1]!.body.messages).toEqual([own, ticket]);
  });

  it("still fills the templates when variables are given (extra body), before any messages", async () => {
    await client.chat.completions.create({
      model: "function::summarize",
      messages: [{ role: "user", content: "Keep it short." }],
      ...{ llmops: { variant: "styled", variables: { tone: "warm", customer: "Ada", ticket: "Refund twice." } } },
    });
    expect(upstream.requests[0]!.body.messages).toEqual([
      { role: "system", content: "You summarise tickets in a warm tone." },
      { role: "user", content: "Ticket from Ada:\nRefund twice." },
      { role: "user", content: "Keep it short." },
    ]);
    await expect(
      client.chat.completions.create({
        model: "function::summarize",
        messages: [ticket],
        ...{ llmops: { variant: "styled", variables: { customer: "Ada" } } },
      }),
    ).rejects.toMatchObject({ status: 400, message: expect.stringMatching(/missing template variable: tone/) });
  });

  it("keeps the A/B split, the log and feedback the same for plain calls", async () => {
    const seen = new Map<string, number>();
    const ids: string[] = [];
    for (let i = 0; i < 40; i++) {
      const { data, response } = await client.chat.completions.create({ model: "function::summarize", messages: [ticket] }).withResponse();
      const variant = response.headers.get("x-llmops-variant")!;
      seen.set(variant, (seen.get(variant) ?? 0) + 1);
      ids.push(data.id);
    }
    expect([...seen.keys()].sort()).toEqual(["concise", "styled"]);
    expect(Math.min(...seen.values())).toBeGreaterThan(5);

    const res = await fetch(`${gw.url}/api/feedback`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ metric_name: "helpful", inference_id: ids[0], value: true }),
    });
    expect(res.status).toBe(200);
    await gw.gateway.recorder.flush();
    const logged = await rows<InferenceRow>(env.stores, "SELECT * FROM inferences WHERE id IN {ids:Array(UUID)}", { ids });
    expect(logged).toHaveLength(40);
    expect(logged.every((r) => r.status === "ok" && r.function_name === "summarize")).toBe(true);
    expect(JSON.parse(logged[0]!.input)).toMatchObject({ messages: [ticket] });
    expect(JSON.parse(logged[0]!.input).variables).toBeUndefined();
    const [fb] = await rows<FeedbackRow>(env.stores, "SELECT * FROM feedback WHERE target_id = {id:UUID}", { id: ids[0] });
    expect(fb).toMatchObject({ metric_name: "helpful", function_name: "summarize" });
  });
});
