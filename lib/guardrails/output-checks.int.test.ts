import type { ServerResponse } from "node:http";
import OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { parseConfig } from "@/lib/gateway/config";
import { openTestStores, startTestGateway, type TestGateway, type TestStores } from "@/lib/gateway/testing/harness";
import { json, openaiAnswer, openaiStream, startUpstream, type Upstream, type UpstreamRequest } from "@/lib/gateway/testing/upstream";
import { recordedRow, rejection, startCheckService, streamText } from "./testing";

/**
 * Output checks beyond an answer's text (issue 18): cached answers meet today's output checks, tool
 * calls' arguments are read by the pattern checks, and an HTTP check can redact. Through the official
 * `openai` SDK, streaming and not.
 */

const base = (upstream: string, cachedGuardrails = "") => `
[providers.up]
type = "openai"
base_url = "${upstream}/v1"
max_retries = 0
[models.gpt]
routing = [{ provider = "up", model = "gpt-upstream" }]
[functions.cached]
cache = { enabled = true }
${cachedGuardrails}
[functions.cached.variants.main]
model = "gpt"
`;

const guarded = (upstream: string, check: string) => `${base(upstream, 'guardrails = ["fruit", "pii"]')}
[guardrails.fruit]
kind = "deny_list"
terms = ["bananas"]
mode = "block"
[guardrails.pii]
kind = "pii"
mode = "redact"
[guardrails.codes]
kind = "regex"
pattern = "CODE-\\\\d{4}"
mode = "monitor"
[guardrails.short]
kind = "max_length"
max_chars = 10
mode = "block"
[guardrails.scrubber]
kind = "http"
url = "${check}/scrub"
stage = "output"
mode = "redact"
timeout_ms = 2000

[functions.tools]
guardrails = ["fruit", "pii", "codes", "short"]
[functions.tools.variants.main]
model = "gpt"
[functions.scrubbed]
guardrails = ["scrubber"]
[functions.scrubbed.variants.main]
model = "gpt"
`;

type Call = { id: string; name: string; args: string };

/** An OpenAI stream of tool calls, their arguments in pieces of 7 characters. */
function toolStream(res: ServerResponse, model: unknown, calls: Call[]): void {
  res.writeHead(200, { "content-type": "text/event-stream" });
  const chunk = (delta: unknown, finish: string | null = null) =>
    `data: ${JSON.stringify({ id: "c", object: "chat.completion.chunk", created: 1, model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
  res.write(chunk({ role: "assistant", content: null }));
  calls.forEach((c, index) => {
    res.write(chunk({ tool_calls: [{ index, id: c.id, type: "function", function: { name: c.name, arguments: "" } }] }));
    for (const piece of c.args.match(/.{1,7}/gs) ?? []) res.write(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }));
  });
  res.write(chunk({}, "tool_calls"));
  res.end("data: [DONE]\n\n");
}

describe("output checks on cache hits, tool calls and HTTP redaction, through the official openai SDK", () => {
  let env: TestStores;
  let upstream: Upstream;
  let plain: TestGateway;
  let gw: TestGateway;
  let client: OpenAI;
  let plainClient: OpenAI;
  let checker: Awaited<ReturnType<typeof startCheckService>>;
  let reply: (req: UpstreamRequest) => string;
  let calls: Call[] | undefined;
  let scrubbed: { mode: string; stage: string; text: string }[] = [];

  beforeAll(async () => {
    env = await openTestStores();
    upstream = await startUpstream((req, res) => {
      if (calls) {
        if (req.body.stream) return toolStream(res, req.body.model, calls);
        const message = {
          role: "assistant",
          content: null,
          tool_calls: calls.map((c) => ({ id: c.id, type: "function", function: { name: c.name, arguments: c.args } })),
        };
        return json(res, 200, { ...openaiAnswer(req.body), choices: [{ index: 0, message, finish_reason: "tool_calls" }] });
      }
      const text = reply(req);
      if (req.body.stream) return openaiStream(res, req.body, text.match(/.{1,5}/gs) ?? []);
      return json(res, 200, openaiAnswer(req.body, text));
    });
    // The redacting service: hides "secret-…" words, flags "nope" without saying what to send instead.
    checker = await startCheckService((body) => {
      const asked = body as { mode: string; stage: string; text: string };
      scrubbed.push(asked);
      const hidden = asked.text.replace(/secret-\w+/g, "[HIDDEN]");
      if (asked.text.includes("nope")) return { flagged: true, reason: "nope found" };
      return hidden !== asked.text ? { flagged: true, reason: "a secret word", text: hidden } : { flagged: false };
    });
    const checkUrl = checker.url;
    // Two gateways on the same stores: one filled the cache with no guardrails, the other reads it with them.
    plain = await startTestGateway(env.stores, base(upstream.url));
    gw = await startTestGateway(env.stores, guarded(upstream.url, checkUrl));
    plainClient = new OpenAI({ baseURL: `${plain.url}/openai/v1`, apiKey: "unused", maxRetries: 0 });
    client = new OpenAI({ baseURL: `${gw.url}/openai/v1`, apiKey: "unused", maxRetries: 0 });
    // Two gateways on embedded stores: slow to open on a loaded machine.
  }, 180_000);
  beforeEach(() => {
    upstream.requests.length = 0;
    calls = undefined;
    scrubbed = [];
    reply = () => "fine";
  });
  afterAll(async () => {
    await gw?.close();
    await plain?.close();
    await upstream?.close();
    await checker?.close();
    await env?.cleanup();
  }, 120_000);

  const row = (id: string) => recordedRow(gw, env, id);
  const messages = (content: string) => [{ role: "user" as const, content }];

  it("a cached answer meets today's output checks: redacted, or blocked with a 400, streamed or not", async () => {
    reply = () => "write to bob@example.org";
    const first = await plainClient.chat.completions.create({ model: "function::cached", messages: messages("who to mail?") });
    expect(first.choices[0]!.message.content).toBe("write to bob@example.org");
    reply = () => "I like bananas";
    await plainClient.chat.completions.create({ model: "function::cached", messages: messages("fruit?") });
    await plain.gateway.recorder.flush();
    upstream.requests.length = 0;

    const hit = await client.chat.completions.create({ model: "function::cached", messages: messages("who to mail?") });
    expect(hit.choices[0]!.message.content).toBe("write to [EMAIL]");
    const streamed = await streamText(client, "cached", "who to mail?");
    expect(streamed.text).toBe("write to [EMAIL]");
    expect(upstream.requests).toHaveLength(0);
    const recorded = await row(hit.id);
    expect(recorded.cached).toBe(true);
    expect(JSON.parse(recorded.output).content).toBe("write to [EMAIL]");
    expect(recorded.guardrails.find((v) => v.name === "pii" && v.stage === "output")).toMatchObject({
      outcome: "redacted",
      detail: "email:1",
    });

    const error = await rejection(client.chat.completions.create({ model: "function::cached", messages: messages("fruit?") }));
    expect(error.status).toBe(400);
    expect(error.code).toBe("guardrail_blocked");
    expect(error.message).toContain('guardrail "fruit" blocked the output');
    const streamError = await rejection(streamText(client, "cached", "fruit?"));
    expect(streamError.code).toBe("guardrail_blocked");
    expect(upstream.requests).toHaveLength(0);
    const blocked = await row(error.headers!.get("x-llmops-inference-id")!);
    expect(blocked).toMatchObject({ status: "error", cached: true });
  });

  it("tool-call arguments: PII redacted inside the JSON strings, streamed or not; the verdict says where", async () => {
    calls = [{ id: "call_1", name: "send_mail", args: JSON.stringify({ to: "bob@example.org", body: "hello", cc: ["ann@corp.io"] }) }];
    const completion = await client.chat.completions.create({ model: "function::tools", messages: messages("mail bob") });
    const call = completion.choices[0]!.message.tool_calls![0]!;
    expect(call.type === "function" && JSON.parse(call.function.arguments)).toEqual({ to: "[EMAIL]", body: "hello", cc: ["[EMAIL]"] });
    const recorded = await row(completion.id);
    expect(recorded.guardrails.find((v) => v.name === "pii" && v.stage === "output")).toMatchObject({
      outcome: "redacted",
      detail: "tool calls: email:2",
    });
    expect(JSON.parse(recorded.output).tool_calls[0].function.arguments).not.toContain("bob@");

    const stream = await client.chat.completions.create({ model: "function::tools", messages: messages("mail bob"), stream: true });
    let args = "";
    let name = "";
    for await (const chunk of stream) {
      const part = chunk.choices[0]?.delta.tool_calls?.[0];
      args += part?.function?.arguments ?? "";
      name += part?.function?.name ?? "";
    }
    expect(name).toBe("send_mail");
    expect(JSON.parse(args)).toEqual({ to: "[EMAIL]", body: "hello", cc: ["[EMAIL]"] });
  });

  it("tool-call arguments: a denied term blocks (400, or the stream's error event); a length limit reads the text only", async () => {
    calls = [{ id: "call_1", name: "order", args: JSON.stringify({ item: "bananas", quantity: 12, note: "x".repeat(40) }) }];
    const error = await rejection(client.chat.completions.create({ model: "function::tools", messages: messages("order") }));
    expect(error.status).toBe(400);
    expect(error.message).toContain('guardrail "fruit" blocked the output: term:1');
    let streamedArgs = "";
    const stream = await client.chat.completions.create({ model: "function::tools", messages: messages("order"), stream: true });
    const streamError = await rejection(
      (async () => {
        for await (const chunk of stream) streamedArgs += chunk.choices[0]?.delta.tool_calls?.[0]?.function?.arguments ?? "";
      })(),
    );
    expect(streamError.message).toContain('guardrail "fruit" blocked the output');
    expect(streamedArgs).not.toContain("bananas");

    // Arguments over max_chars (10) pass: the limit is on the answer's text; a monitor check still reports.
    calls = [{ id: "call_2", name: "lookup", args: JSON.stringify({ code: "CODE-1234", note: "y".repeat(40) }) }];
    const passed = await client.chat.completions.create({ model: "function::tools", messages: messages("lookup") });
    const call = passed.choices[0]!.message.tool_calls![0]!;
    expect(call.type === "function" && call.function.arguments).toBe(calls[0]!.args);
    const recorded = await row(passed.id);
    expect(recorded.guardrails.find((v) => v.name === "codes" && v.stage === "output")).toMatchObject({
      outcome: "flagged",
      detail: "tool calls: match:1",
    });
  });

  it("an http check redacts: the service's text is what the client gets and what is recorded, streamed or not", async () => {
    reply = () => "the password is secret-tulip, keep it";
    const completion = await client.chat.completions.create({ model: "function::scrubbed", messages: messages("password?") });
    expect(completion.choices[0]!.message.content).toBe("the password is [HIDDEN], keep it");
    expect(scrubbed).toEqual([{ ...scrubbed[0], mode: "redact", stage: "output", text: "the password is secret-tulip, keep it" }]);
    const recorded = await row(completion.id);
    expect(JSON.parse(recorded.output).content).toBe("the password is [HIDDEN], keep it");
    expect(recorded.guardrails).toEqual([expect.objectContaining({ name: "scrubber", outcome: "redacted", detail: "a secret word" })]);

    const streamed = await streamText(client, "scrubbed", "password?");
    expect(streamed.text).toBe("the password is [HIDDEN], keep it");
    expect(JSON.parse((await row(streamed.id)).output).content).toBe("the password is [HIDDEN], keep it");

    // Flagged without a text to send instead: a failure of the check, which on_error (allow) lets through.
    reply = () => "nope, nothing";
    const unredacted = await client.chat.completions.create({ model: "function::scrubbed", messages: messages("x") });
    expect(unredacted.choices[0]!.message.content).toBe("nope, nothing");
    expect((await row(unredacted.id)).guardrails[0]).toMatchObject({ outcome: "error" });
  });

  it("an http check redacts answers only: on the input the config is refused", () => {
    expect(() =>
      parseConfig(`${base("http://127.0.0.1:1")}\n[guardrails.s]\nkind = "http"\nurl = "http://127.0.0.1:1/x"\nmode = "redact"\n`),
    ).toThrow(/redacts answers only/);
  });
});
