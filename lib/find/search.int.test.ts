import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { labelQueues } from "@/db/schema";
import { createFromItems } from "@/lib/datasets/service.server";
import { startTestApp, type TestApp } from "@/lib/http/testing/app-server";
import { toClickHouseTime, type InferenceRow } from "@/lib/inference/tables";
import { findReply, PER_KIND, type FindReply } from "./schemas";

// The handlers over HTTP with auth off: the access rule itself is the access matrix's subject.
process.env.LLMOPS_AUTH = "off";

const CONFIG = `
[providers.echo]
type = "dummy"

[models.m]
routing = [{ provider = "echo", model = "echo-1" }]

[functions.triage_tickets.variants.baseline]
model = "m"
user = "{{x}}"

[functions.triage_tickets.variants.triage_terse]
model = "m"
user = "{{x}}"
`;

const INFERENCE_ID = "0193a5b0-0001-7000-8000-00000000abcd";

describe("GET /api/search (search everywhere)", () => {
  let t: TestApp;
  let experimentId = "";
  let runId = "";

  const mlflow = async (path: string, body: object) => {
    const res = await fetch(`${t.app.url}/api/2.0/mlflow${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    expect(res.status, await res.clone().text()).toBe(200);
    return (await res.json()) as { experiment_id?: string; run?: { info: { run_id: string } } };
  };
  const search = async (q: string): Promise<FindReply> => {
    const res = await fetch(`${t.app.url}/api/search?${new URLSearchParams({ q })}`);
    expect(res.status).toBe(200);
    return findReply.parse(await res.json());
  };
  const labels = (reply: FindReply, kind: string) => reply.results.filter((r) => r.kind === kind).map((r) => r.label);

  beforeAll(async () => {
    t = await startTestApp(CONFIG);
    experimentId = (await mlflow("/experiments/create", { name: "Triage experiments" })).experiment_id ?? "";
    runId =
      (await mlflow("/runs/create", { experiment_id: experimentId, run_name: "triage-baseline-run", start_time: 1 })).run?.info.run_id ??
      "";
    await mlflow("/registered-models/create", { name: "triage-prompt", tags: [{ key: "mlflow.prompt.is_prompt", value: "true" }] });
    await mlflow("/registered-models/create", { name: "triage-classifier", description: "sklearn" });
    await mlflow("/registered-models/create", { name: "100%_literal" });
    await mlflow("/registered-models/create", { name: "100x-other" });
    for (let i = 0; i < PER_KIND + 3; i++) await mlflow("/registered-models/create", { name: `bulk-model-${i}` });
    const db = t.env.stores.postgres.db;
    await createFromItems(
      { db, clickhouse: t.env.stores.clickhouse.client },
      {
        name: "triage-golden",
        items: [{ input: { variables: { x: "a" } } }],
        source: { kind: "api" },
      },
    );
    await db.insert(labelQueues).values({
      id: "q-triage",
      name: "Triage review",
      source: {},
      fields: [],
      itemCount: 0,
      createdAt: Date.now(),
    });
    const row: InferenceRow = {
      id: INFERENCE_ID,
      episode_id: INFERENCE_ID,
      function_name: "triage_tickets",
      variant_name: "baseline",
      model_name: "m",
      provider_name: "echo",
      prompt_version: "",
      input: "{}",
      output: "{}",
      input_tokens: 1,
      output_tokens: 1,
      cost: 0,
      latency_ms: 1,
      ttft_ms: null,
      status: "ok",
      error: "",
      cached: false,
      streamed: false,
      tags: {},
      timestamp: toClickHouseTime(new Date()),
    };
    await t.env.stores.clickhouse.client.insert({ table: "inferences", values: [row], format: "JSONEachRow" });
  });
  afterAll(() => t?.close());

  it("finds every kind by a word of its name, case-insensitively, with links to their pages", async () => {
    const reply = await search("TRIAGE");
    // The gateway registers each variant's inline template as a prompt too; shorter names first.
    expect(labels(reply, "prompt")).toEqual(["triage-prompt", "triage_tickets.baseline", "triage_tickets.triage_terse"]);
    expect(labels(reply, "model")).toEqual(["triage-classifier"]);
    expect(labels(reply, "experiment")).toEqual(["Triage experiments"]);
    expect(labels(reply, "run")).toEqual(["triage-baseline-run"]);
    expect(labels(reply, "dataset")).toEqual(["triage-golden"]);
    expect(labels(reply, "queue")).toEqual(["Triage review"]);
    expect(labels(reply, "function")).toEqual(["triage_tickets"]);
    expect(labels(reply, "variant")).toEqual(["triage_terse"]);
    const href = (kind: string) => reply.results.find((r) => r.kind === kind)?.href;
    expect(href("prompt")).toBe("/registry/prompts/triage-prompt");
    expect(href("model")).toBe("/registry/models/triage-classifier");
    expect(href("run")).toBe(`/experiments/${experimentId}/runs/${runId}`);
    expect(href("experiment")).toBe(`/experiments/${experimentId}`);
    expect(href("queue")).toBe("/labelling/q-triage");
    expect(href("variant")).toBe("/functions/triage_tickets/variants/triage_terse");
  });

  it("jumps to an inference by its pasted id, and to a run by its id", async () => {
    const reply = await search(` ${INFERENCE_ID.toUpperCase()} `);
    expect(reply.results[0]).toMatchObject({ kind: "inference", href: `/inferences/${INFERENCE_ID}`, detail: "triage_tickets / baseline" });
    expect(labels(await search("0193a5b0-0001-7000-8000-000000000000"), "inference")).toEqual([]);
    expect(labels(await search(runId), "run")).toEqual(["triage-baseline-run"]);
  });

  it("bounds each kind and treats LIKE's wildcards as plain characters", async () => {
    expect(labels(await search("bulk-model"), "model")).toHaveLength(PER_KIND);
    expect(labels(await search("100%"), "model")).toEqual(["100%_literal"]);
    expect(labels(await search("0%_"), "model")).toEqual(["100%_literal"]);
    expect(labels(await search("_"), "model")).toEqual(["100%_literal"]);
    expect((await search("' OR 1=1 --")).results).toEqual([]);
  });

  it("answers bad input with a JSON 400", async () => {
    for (const q of ["", "   ", "x".repeat(201)]) {
      const res = await fetch(`${t.app.url}/api/search?${new URLSearchParams({ q })}`);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("bad_request");
    }
    expect((await fetch(`${t.app.url}/api/search`)).status).toBe(400);
  });
});
