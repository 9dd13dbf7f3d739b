import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import OpenAI from "openai";
import { freshDataDir, startApp, waitHealthy } from "./fixtures/server";
import { ADMIN_API_KEY, BEARER } from "./auth-fixtures";

const E2E_PORT = Number(process.env.E2E_PORT ?? 3210);

test("the running app serves the gateway: the openai SDK, native inference and feedback", async ({ baseURL, request }) => {
  const client = new OpenAI({ baseURL: `${baseURL}/openai/v1`, apiKey: ADMIN_API_KEY, maxRetries: 0 });
  const models = await client.models.list();
  expect(models.data.map((m) => m.id)).toEqual(expect.arrayContaining(["function::summarize", "function::reply", "model::fast"]));

  const { data, response } = await client.chat.completions
    .create({
      model: "function::summarize",
      messages: [{ role: "user", content: "Anything else?" }],
      llmops: { variables: { customer: "Eve", ticket: "Refund please" } },
    } as OpenAI.ChatCompletionCreateParamsNonStreaming)
    .withResponse();
  // The dummy answers the last user message (the client's, after the rendered template): an echo
  // on the "fast" model, a templated reply on "smart" (llmops.toml), whichever variant was drawn.
  expect(data.choices[0]!.message.content).toMatch(/^(Echo|Considered answer): Anything else\?$/);
  expect(response.headers.get("x-llmops-inference-id")).toBe(data.id);
  expect(["concise", "detailed", "bullets"]).toContain(response.headers.get("x-llmops-variant"));

  let streamed = "";
  for await (const chunk of await client.chat.completions.create({
    model: "model::fast",
    messages: [{ role: "user", content: "stream me" }],
    stream: true,
  })) {
    streamed += chunk.choices[0]?.delta.content ?? "";
  }
  expect(streamed).toBe("Echo: stream me");

  const native = await request.post("/api/inference", {
    data: { function_name: "reply", input: { variables: { message: "Where is my parcel?" } } },
  });
  expect(native.status()).toBe(200);
  const body = await native.json();
  expect(body).toMatchObject({ function_name: "reply", prompt_version: expect.stringMatching(/^reply\.(baseline|empathetic)\/\d+$/) });

  const feedback = await request.post("/api/feedback", { data: { metric_name: "resolved", episode_id: body.episode_id, value: true } });
  expect(feedback.status(), await feedback.text()).toBe(200);
  const wrong = await request.post("/api/feedback", { data: { metric_name: "helpful", inference_id: body.inference_id, value: "yes" } });
  expect(wrong.status()).toBe(400);
  expect((await wrong.json()).error.message).toMatch(/metric "helpful" is boolean/);
});

test("TensorZero's clients reach the same gateway at the root: /inference, /feedback, /health, /status", async ({ request }) => {
  // As TensorZero's client sends it: every unset field null, template arguments in a text block.
  const inference = await request.post("/inference", {
    data: {
      function_name: "reply",
      model_name: null,
      episode_id: null,
      input: { messages: [{ role: "user", content: [{ type: "text", arguments: { message: "Where is my parcel?" } }] }] },
      stream: null,
      params: { chat_completion: { temperature: null, max_tokens: null } },
      variant_name: null,
      dryrun: null,
      tags: {},
      cache_options: { enabled: "write_only", max_age_s: null },
      extra_body: [],
    },
  });
  expect(inference.status(), await inference.text()).toBe(200);
  const body = await inference.json();
  expect(body).toMatchObject({
    variant_name: expect.stringMatching(/^(baseline|empathetic)$/),
    content: [{ type: "text", text: expect.stringMatching(/Where is my parcel\?$/) }],
    usage: { input_tokens: expect.any(Number), output_tokens: expect.any(Number) },
    finish_reason: "stop",
  });
  const feedback = await request.post("/feedback", {
    data: { metric_name: "resolved", episode_id: body.episode_id, inference_id: null, value: true, dryrun: null, tags: {} },
  });
  expect(feedback.status(), await feedback.text()).toBe(200);
  expect(await (await request.get("/health")).json()).toEqual({ gateway: "ok", clickhouse: "ok" });
  expect(await (await request.get("/status")).json()).toEqual({ status: "ok" });
  const wrong = await request.get("/inference");
  expect(wrong.status()).toBe(405);
  expect(await wrong.json()).toEqual({ error: expect.stringMatching(/takes POST/) });
});

test("inferences buffered at SIGTERM are written before the process exits @slow", async () => {
  const dataDir = freshDataDir("gateway-shutdown");
  const configFile = path.join(dataDir, "llmops.toml");
  // A long flush interval: every row is still in the recorder's buffer when SIGTERM arrives.
  writeFileSync(
    configFile,
    `[recorder]\nflush_ms = 60000\nbatch_size = 100000\n\n[providers.echo]\ntype = "dummy"\nlatency_ms = 0\nttft_ms = 0\n\n[models.m]\nrouting = [{ provider = "echo" }]\n\n[functions.f.variants.v]\nmodel = "m"\nuser = "{{i}}"\n`,
  );
  const port = E2E_PORT + 15;
  const app = startApp({ LLMOPS_DATA_DIR: dataDir, LLMOPS_CONFIG: configFile, LLMOPS_DEMO: "off" }, port);
  const seen: string[] = [];
  try {
    await waitHealthy(app);
    for (let batch = 0; batch < 5; batch++) {
      const results = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          fetch(`http://127.0.0.1:${port}/api/inference`, {
            method: "POST",
            headers: { ...BEARER, "content-type": "application/json" },
            body: JSON.stringify({ function_name: "f", input: { variables: { i: batch * 40 + i } } }),
          }).then(async (r) => ((await r.json()) as { inference_id: string }).inference_id),
        ),
      );
      seen.push(...results);
    }
    const status = (await (await fetch(`http://127.0.0.1:${port}/api/gateway/status`, { headers: BEARER })).json()) as {
      recorder: { buffered: number };
    };
    expect(status.recorder.buffered).toBe(400);
  } finally {
    expect(await app.stop("SIGTERM")).toBe(0);
  }
  const read = spawnSync(
    process.execPath,
    [path.join("node_modules", "tsx", "dist", "cli.mjs"), "--conditions=react-server", "e2e/fixtures/read-log.ts", dataDir],
    { encoding: "utf8" },
  );
  expect(read.status, read.stderr).toBe(0);
  const log = JSON.parse(read.stdout.trim().split("\n").at(-1)!) as { inferences: string[]; modelCalls: string[] };
  expect(new Set(log.inferences)).toEqual(new Set(seen));
  expect(log.inferences).toHaveLength(200);
  expect(new Set(log.modelCalls)).toEqual(new Set(seen));
});

test("an invalid llmops.toml stops start-up with the field at fault", async () => {
  const dataDir = freshDataDir("gateway-config");
  const configFile = path.join(dataDir, "llmops.toml");
  writeFileSync(configFile, `[providers.p]\ntype = "dummy"\n\n[models.m]\nrouting = [{ provider = "nope" }]\n`);
  const app = startApp({ LLMOPS_DATA_DIR: dataDir, LLMOPS_CONFIG: configFile, LLMOPS_DEMO: "off" }, E2E_PORT + 16);
  expect(await app.exited).toBe(1);
  expect(app.output()).toContain('models.m.routing[0].provider: unknown provider "nope"');
});

test("GET /api/lineage walks the gateway's nodes: function → variants → prompt versions", async ({ request }) => {
  const native = await request.post("/api/inference", {
    data: { function_name: "summarize", variant_name: "concise", input: { variables: { customer: "Lin", ticket: "Hi" } } },
  });
  const { inference_id: inferenceId } = await native.json();
  const res = await request.get("/api/lineage?node=function:summarize&depth=2");
  expect(res.status()).toBe(200);
  const graph = await res.json();
  expect(graph.edges).toEqual(
    expect.arrayContaining([
      { source: "function:summarize", target: "variant:summarize/concise", relation: "has_variant" },
      { source: "variant:summarize/concise", target: "prompt_version:summarize.concise/1", relation: "uses_prompt" },
    ]),
  );
  expect(graph.nodes).toEqual(
    expect.arrayContaining([expect.objectContaining({ id: "variant:summarize/concise", href: "/functions/summarize/variants/concise" })]),
  );
  await expect
    .poll(async () => (await (await request.get(`/api/lineage?node=inference:${inferenceId}&depth=1`)).json()).edges, { timeout: 10_000 })
    .toEqual([{ source: `inference:${inferenceId}`, target: "variant:summarize/concise", relation: "served_by" }]);
});
