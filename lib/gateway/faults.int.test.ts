import OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { InferenceRow, ModelCallRow } from "@/lib/inference/tables";
import { openTestStores, rows, startTestGateway, type TestGateway, type TestStores } from "./testing/harness";
import { json, openaiAnswer, openaiStream, startUpstream, type Behaviour, type Upstream } from "./testing/upstream";

/**
 * Reliability: retries with backoff on retryable errors, fallback to the next provider then to the
 * next variant, timeouts (total and first token), broken streams, client disconnects, and the
 * mapping of what went wrong to the client's error.
 */
const config = (primary: string, secondary: string) => `
[providers.primary]
type = "openai"
base_url = "${primary}"
max_retries = 2
retry_backoff_ms = 5
timeout_ms = 1500
ttft_timeout_ms = 400

[providers.secondary]
type = "openai"
base_url = "${secondary}"
max_retries = 0

[models.main]
routing = [{ provider = "primary", model = "p-model" }, { provider = "secondary", model = "s-model" }]

[models.solo]
routing = [{ provider = "primary", model = "p-model" }]

[functions.f]
[functions.f.variants.first]
model = "solo"
weight = 1
[functions.f.variants.backup]
model = "main"
weight = 0

[functions.g]
[functions.g.variants.only]
model = "main"
`;

const ok: Behaviour = (req, res) => json(res, 200, openaiAnswer(req.body));
const status =
  (code: number, headers: Record<string, string> = {}): Behaviour =>
  (_req, res) =>
    json(res, code, { error: { message: `boom ${code}`, type: "server_error" } }, headers);
const hang: Behaviour = () => undefined;

describe("reliability: retries, fallbacks, timeouts, broken streams", () => {
  let env: TestStores;
  let primary: Upstream;
  let secondary: Upstream;
  let gw: TestGateway;
  let client: OpenAI;
  beforeAll(async () => {
    env = await openTestStores();
    primary = await startUpstream(ok);
    secondary = await startUpstream(ok);
    gw = await startTestGateway(env.stores, config(primary.url, secondary.url));
    client = new OpenAI({ baseURL: `${gw.url}/openai/v1`, apiKey: "unused", maxRetries: 0 });
  });
  beforeEach(() => {
    for (const u of [primary, secondary]) {
      u.requests.length = 0;
      u.setBehaviour(ok);
    }
  });
  afterAll(async () => {
    await gw?.close();
    await Promise.all([primary?.close(), secondary?.close()]);
    await env?.cleanup();
  });

  const calls = async (inferenceId: string) => {
    await gw.gateway.recorder.flush();
    return rows<ModelCallRow>(env.stores, "SELECT * FROM model_calls WHERE inference_id = {id:UUID} ORDER BY attempt", { id: inferenceId });
  };

  it("retries a 500 and a 429 (honouring Retry-After) on the same provider, then succeeds", async () => {
    primary.setBehaviour((req, res) =>
      req.n === 0 ? status(500)(req, res) : req.n === 1 ? status(429, { "retry-after": "0" })(req, res) : ok(req, res),
    );
    const data = await client.chat.completions.create({ model: "function::g", messages: [{ role: "user", content: "x" }] });
    expect(data.choices[0]!.message.content).toBe("upstream says: x");
    expect(primary.requests).toHaveLength(3);
    expect(secondary.requests).toHaveLength(0);
    const logged = await calls(data.id);
    expect(logged.map((c) => [c.attempt, c.provider_name, c.status])).toEqual([
      [0, "primary", "error"],
      [1, "primary", "error"],
      [2, "primary", "ok"],
    ]);
    expect(logged[0]!.error).toMatch(/HTTP 500: boom 500/);
  });

  it("falls back to the next provider after the retries, in routing order", async () => {
    primary.setBehaviour(status(503));
    const data = await client.chat.completions.create({ model: "function::g", messages: [{ role: "user", content: "y" }] });
    expect(primary.requests).toHaveLength(3);
    expect(secondary.requests.map((r) => r.body.model)).toEqual(["s-model"]);
    const logged = await calls(data.id);
    expect(logged.map((c) => `${c.provider_name}:${c.status}`)).toEqual([
      "primary:error",
      "primary:error",
      "primary:error",
      "secondary:ok",
    ]);
    const [row] = await rows<InferenceRow>(env.stores, "SELECT * FROM inferences WHERE id = {id:UUID}", { id: data.id });
    expect(row).toMatchObject({ provider_name: "secondary", status: "ok" });
  });

  it("does not retry a 400 but tries the next provider; when all refuse, the client gets the upstream's 400", async () => {
    primary.setBehaviour(status(400));
    secondary.setBehaviour(status(400));
    const error = (await client.chat.completions
      .create({ model: "function::g", messages: [{ role: "user", content: "z" }] })
      .catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
    expect(error.status).toBe(400);
    expect(error.message).toMatch(
      /the upstream refused the request: only\/primary \(attempt 1\): primary: HTTP 400: boom 400; only\/secondary/,
    );
    expect(primary.requests).toHaveLength(1);
  });

  it("falls back to another variant when every provider of the chosen one fails, and logs the failures", async () => {
    primary.setBehaviour(status(502));
    const { data, response } = await client.chat.completions
      .create({ model: "function::f", messages: [{ role: "user", content: "v" }] })
      .withResponse();
    expect(response.headers.get("x-llmops-variant")).toBe("backup");
    const logged = await calls(data.id);
    expect(logged.map((c) => `${c.variant_name}/${c.provider_name}:${c.status}`)).toEqual([
      "first/primary:error",
      "first/primary:error",
      "first/primary:error",
      "backup/primary:error",
      "backup/primary:error",
      "backup/primary:error",
      "backup/secondary:ok",
    ]);
  });

  it("answers 502 with every attempt listed when all fail, and records the failed inference", async () => {
    primary.setBehaviour(status(500));
    secondary.setBehaviour((_req, res) => void res.destroy());
    const error = (await client.chat.completions
      .create({ model: "function::g", messages: [{ role: "user", content: "w" }] })
      .catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
    expect(error.status).toBe(502);
    expect(error.message).toMatch(/every attempt failed: .*only\/secondary \(attempt 4\): secondary: /);
    await gw.gateway.recorder.flush();
    const [row] = await rows<InferenceRow>(
      env.stores,
      "SELECT * FROM inferences WHERE function_name = 'g' AND status = 'error' ORDER BY timestamp DESC LIMIT 1",
    );
    expect(row!.error).toMatch(/every attempt failed/);
  });

  it("times out a provider that never sends a first token (504 when every attempt times out)", async () => {
    primary.setBehaviour(hang);
    secondary.setBehaviour(hang);
    const started = Date.now();
    const error = (await client.chat.completions
      .create({ model: "model::solo", messages: [{ role: "user", content: "t" }] })
      .catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
    expect(error.status).toBe(504);
    expect(error.message).toMatch(/no first token within 400 ms/);
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(primary.requests).toHaveLength(3);
  });

  it("times out a stream that stalls after its first token (total timeout) and falls back before the first byte", async () => {
    // Stalled after the first piece: the total timeout (1.5 s) ends it; the client sees an error event.
    primary.setBehaviour((req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write(
        `data: ${JSON.stringify({ id: "x", object: "chat.completion.chunk", created: 1, model: "m", choices: [{ index: 0, delta: { content: "a" }, finish_reason: null }] })}\n\n`,
      );
    });
    const stream = await client.chat.completions.create({ model: "model::solo", messages: [{ role: "user", content: "s" }], stream: true });
    const error = await (async () => {
      for await (const _chunk of stream) {
        // consume
      }
    })().catch((e: unknown) => e);
    expect(String(error)).toMatch(/no complete answer within 1500 ms/);

    // A stream that fails before its first piece falls back like a plain call.
    primary.setBehaviour(status(500));
    secondary.setBehaviour((req, res) => openaiStream(res, req.body, ["from ", "secondary"]));
    const fallback = await client.chat.completions.create({
      model: "function::g",
      messages: [{ role: "user", content: "s" }],
      stream: true,
    });
    let text = "";
    for await (const chunk of fallback) text += chunk.choices[0]?.delta.content ?? "";
    expect(text).toBe("from secondary");
  });

  it("reports a stream broken mid-way as an error event and logs what was received", async () => {
    primary.setBehaviour((req, res) => openaiStream(res, req.body, ["part ", "one ", "two"], { breakAfter: 2, delayMs: 20 }));
    const { data: stream, response } = await client.chat.completions
      .create({ model: "model::solo", messages: [{ role: "user", content: "b" }], stream: true })
      .withResponse();
    let text = "";
    const error = await (async () => {
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
    })().catch((e: unknown) => e);
    expect(text).toBe("part one ");
    expect(String(error)).toMatch(/the stream broke/);
    const id = response.headers.get("x-llmops-inference-id")!;
    await gw.gateway.recorder.flush();
    const [row] = await rows<InferenceRow>(env.stores, "SELECT * FROM inferences WHERE id = {id:UUID}", { id });
    expect(row).toMatchObject({ status: "error", streamed: true });
    expect(JSON.parse(row!.output)).toMatchObject({ content: "part one " });
  });

  it("cancels the upstream when the client disconnects mid-stream", async () => {
    primary.setBehaviour((req, res) =>
      openaiStream(
        res,
        req.body,
        Array.from({ length: 50 }, (_, i) => `t${i} `),
        { delayMs: 20 },
      ),
    );
    const controller = new AbortController();
    const res = await fetch(`${gw.url}/openai/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "model::solo", messages: [{ role: "user", content: "long" }], stream: true }),
      signal: controller.signal,
    });
    const id = res.headers.get("x-llmops-inference-id")!;
    const reader = res.body!.getReader();
    await reader.read();
    controller.abort();
    await expect.poll(() => primary.requests.at(-1)?.closedEarly, { timeout: 3_000 }).toBe(true);
    await expect
      .poll(async () => {
        await gw.gateway.recorder.flush();
        const [row] = await rows<InferenceRow>(env.stores, "SELECT * FROM inferences WHERE id = {id:UUID}", { id });
        return row?.error;
      })
      .toMatch(/client closed the connection/);
  });
});
