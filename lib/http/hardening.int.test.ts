import { request as httpRequest } from "node:http";
import MLflow from "mlflow";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp, type TestAppServer } from "./testing/app-server";

/**
 * scripts/http-guard.mjs in front of the real handlers (the test app server runs it as
 * scripts/server.mjs does), with real clients: the openai SDK and the npm mlflow client work
 * through it and get the headers; a foreign Host is refused on every surface; JSON comes only as
 * application/json; an MLflow write never reads the query string. Auth is off here: who may call
 * is lib/auth's subject.
 */
process.env.LLMOPS_AUTH = "off";

const CONFIG = `
[providers.echo]
type = "dummy"
latency_ms = 0
ttft_ms = 0

[models.m]
routing = [{ provider = "echo", model = "echo-1" }]

[functions.greet.variants.a]
model = "m"
user = "Greet {{name}}"
`;
const DATA_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

describe("hardening before dispatch (scripts/http-guard.mjs) with real clients", () => {
  let t: TestApp;
  let app: TestAppServer;

  beforeAll(async () => {
    t = await startTestApp(CONFIG);
    ({ app } = t);
  });
  afterAll(async () => {
    await t?.close();
  });

  /** fetch always sends the real Host; node:http sends any. */
  function withHost(path: string, host: string, init: { method?: string; body?: string; type?: string } = {}) {
    return new Promise<{ status: number; headers: Record<string, unknown>; json: unknown }>((resolve, reject) => {
      const { port } = new URL(app.url);
      const headers: Record<string, string> = { host, ...(init.type ? { "content-type": init.type } : {}) };
      const req = httpRequest({ host: "127.0.0.1", port, path, method: init.method ?? "GET", headers }, (res) => {
        let text = "";
        res.on("data", (chunk: Buffer) => (text += chunk.toString()));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, json: JSON.parse(text) as unknown }));
      });
      req.on("error", reject);
      req.end(init.body);
    });
  }

  it("the openai SDK and the npm mlflow client work through it, and every answer carries the headers", async () => {
    const seen: Response[] = [];
    const recording: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      seen.push(res.clone());
      return res;
    };
    const openai = new OpenAI({ baseURL: `${app.url}/openai/v1`, apiKey: "unused", maxRetries: 0, fetch: recording });
    const completion = await openai.chat.completions.create({ model: "function::greet", messages: [{ role: "user", content: "hi" }] });
    expect(completion.choices[0]?.message.content).toBeTruthy();

    const { Experiments } = new MLflow({ endpoint: app.url });
    const { experiment_id } = await Experiments.create({ name: `hardening-${Date.now()}`, artifact_location: "" });
    expect((await Experiments.get({ experiment_id })).experiment.experiment_id).toBe(experiment_id);

    const answers = [
      ...seen,
      await fetch(`${app.url}/api/2.0/mlflow/experiments/get?experiment_id=${experiment_id}`),
      await fetch(`${app.url}/api/health`),
      await fetch(`${app.url}/api/inference`), // the gateway's 405
    ];
    for (const res of answers) {
      expect(res.headers.get("content-security-policy"), res.url).toBe(DATA_CSP);
      expect(res.headers.get("x-content-type-options"), res.url).toBe("nosniff");
      expect(res.headers.get("x-frame-options"), res.url).toBe("DENY");
      expect(res.headers.get("referrer-policy"), res.url).toBe("same-origin");
      expect(res.headers.get("strict-transport-security"), res.url).toBeNull();
    }
  });

  it("refuses a foreign Host on every surface before any handler runs, in the path's dialect", async () => {
    const before = (
      (await await fetch(`${app.url}/api/2.0/mlflow/experiments/search`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: "{}",
      }).then((r) => r.json())) as { experiments?: unknown[] }
    ).experiments?.length;
    const create = await withHost("/api/2.0/mlflow/experiments/create", "rebind.example:8080", {
      method: "POST",
      body: JSON.stringify({ name: "rebound" }),
      type: "application/json",
    });
    expect(create.status).toBe(421);
    expect(create.json).toEqual({ error_code: "INVALID_PARAMETER_VALUE", message: expect.stringContaining('Host "rebind.example:8080"') });
    const after = (
      (await await fetch(`${app.url}/api/2.0/mlflow/experiments/search`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: "{}",
      }).then((r) => r.json())) as { experiments?: unknown[] }
    ).experiments?.length;
    expect(after).toBe(before);

    const gateway = await withHost("/openai/v1/chat/completions", "rebind.example", {
      method: "POST",
      body: "{}",
      type: "application/json",
    });
    expect(gateway.status).toBe(421);
    expect(gateway.json).toMatchObject({ error: { type: "invalid_request_error", code: "misdirected_request", param: null } });
    const tensorzero = await withHost("/inference", "rebind.example", { method: "POST", body: "{}", type: "application/json" });
    expect(tensorzero.json).toEqual({ error: expect.stringContaining("LLMOPS_PUBLIC_URL") });
    const own = await withHost("/api/health", "rebind.example");
    expect(own.json).toEqual({ error: { code: "misdirected_request", message: expect.stringContaining("LLMOPS_PUBLIC_URL") } });
    expect(own.headers["x-frame-options"]).toBe("DENY");
    expect((await withHost("/api/health", "localhost:1")).status).toBe(200);
  });

  it("takes JSON only as application/json, and an MLflow write never reads the query string", async () => {
    const { experiment_id } = (await (
      await fetch(`${app.url}/api/2.0/mlflow/experiments/create`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ name: `form-${Date.now()}` }),
      })
    ).json()) as { experiment_id: string };
    // What a page on another origin can send without a preflight: a form, or text/plain.
    const form = await fetch(`${app.url}/api/2.0/mlflow/experiments/delete?experiment_id=${experiment_id}`, {
      method: "POST",
      body: new URLSearchParams({ experiment_id }),
    });
    expect(form.status).toBe(400);
    const text = await fetch(`${app.url}/api/2.0/mlflow/experiments/delete`, {
      method: "POST",
      headers: { "content-type": "text/plain;charset=json" },
      body: JSON.stringify({ experiment_id }),
    });
    expect(await text.json()).toEqual({
      error_code: "INVALID_PARAMETER_VALUE",
      message: "Bad Request. Content-Type must be one of ['application/json'].",
    });
    const got = (await (await fetch(`${app.url}/api/2.0/mlflow/experiments/get?experiment_id=${experiment_id}`)).json()) as {
      experiment: { lifecycle_stage: string };
    };
    expect(got.experiment.lifecycle_stage).toBe("active");

    const alias = await fetch(`${app.url}/api/registered/any/aliases`, {
      method: "POST",
      headers: { "content-type": "text/plain;charset=json" },
      body: JSON.stringify({ alias: "production", version: 1 }),
    });
    expect(alias.status).toBe(415);
    expect((await alias.json()).error).toMatchObject({ code: "unsupported_media_type" });
    const inference = await fetch(`${app.url}/api/inference`, {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: JSON.stringify({ function_name: "greet", input: { variables: { name: "x" } } }),
    });
    expect(inference.status).toBe(415);
  });
});
