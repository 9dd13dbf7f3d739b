import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FeedbackRow } from "@/lib/inference/tables";
import { recordFeedback } from "./feedback.server";
import { openTestStores, rows, startTestGateway, type TestGateway, type TestStores } from "./testing/harness";

const CONFIG = `
[recorder]
flush_ms = 5000

[providers.echo]
type = "dummy"
latency_ms = 0
ttft_ms = 0

[models.m]
routing = [{ provider = "echo" }]

[functions.ask.variants.v1]
model = "m"
user = "{{q}}"

[metrics.thumbs]
type = "boolean"

[metrics.score]
type = "float"
optimize = "min"

[metrics.solved]
type = "boolean"
level = "episode"
`;

async function post(url: string, body: unknown) {
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, string> & { error?: { message: string } } };
}

describe("feedback (POST /api/feedback)", () => {
  let env: TestStores;
  let gw: TestGateway;
  let inferenceId: string;
  let episodeId: string;
  beforeAll(async () => {
    env = await openTestStores();
    gw = await startTestGateway(env.stores, CONFIG);
    const { body } = await post(`${gw.url}/api/inference`, { function_name: "ask", input: { variables: { q: "why?" } } });
    inferenceId = body.inference_id!;
    episodeId = body.episode_id!;
  });
  afterAll(async () => {
    await gw?.close();
    await env?.cleanup();
  });

  it("accepts feedback on an inference still in the recorder's buffer (read-after-write)", async () => {
    // flush_ms is 5 s: the inference is not in ClickHouse yet, so the route flushes and looks again.
    const { status, body } = await post(`${gw.url}/api/feedback`, { metric_name: "thumbs", inference_id: inferenceId, value: true });
    expect(status).toBe(200);
    const [row] = await rows<FeedbackRow>(env.stores, "SELECT * FROM feedback WHERE id = {id:UUID}", { id: body.feedback_id });
    expect(row).toMatchObject({
      target_type: "inference",
      target_id: inferenceId,
      function_name: "ask",
      variant_name: "v1",
      metric_name: "thumbs",
      kind: "boolean",
      value: 1,
      tags: { "llmops.source": "api" },
    });
  });

  it("stores floats, episode metrics, comments and demonstrations", async () => {
    const ok = [
      { metric_name: "score", inference_id: inferenceId, value: 0.25 },
      { metric_name: "solved", episode_id: episodeId, value: false },
      { metric_name: "comment", episode_id: episodeId, value: "Nice." },
      { metric_name: "demonstration", inference_id: inferenceId, value: "Because." },
    ];
    for (const body of ok) expect((await post(`${gw.url}/api/feedback`, body)).status, JSON.stringify(body)).toBe(200);
    const stored = await rows<FeedbackRow>(
      env.stores,
      "SELECT * FROM feedback WHERE target_id IN ({ids:Array(UUID)}) ORDER BY timestamp, toString(id)",
      { ids: [inferenceId, episodeId] },
    );
    expect(stored.map((r) => [r.metric_name, r.kind, r.target_type, r.value, r.text])).toEqual([
      ["thumbs", "boolean", "inference", 1, ""],
      ["score", "float", "inference", 0.25, ""],
      ["solved", "boolean", "episode", 0, ""],
      ["comment", "comment", "episode", 0, "Nice."],
      ["demonstration", "demonstration", "inference", 0, JSON.stringify({ content: "Because.", finish_reason: "stop" })],
    ]);
  });

  it("refuses unknown metrics, wrong types, wrong levels and unknown ids with clear 4xx", async () => {
    const unknownId = "01a20000-0000-7000-8000-000000000000";
    const cases: [unknown, number, RegExp][] = [
      [
        { metric_name: "nope", inference_id: inferenceId, value: 1 },
        404,
        /unknown metric "nope"; declared metrics: thumbs, score, solved, comment, demonstration/,
      ],
      [{ metric_name: "thumbs", inference_id: inferenceId, value: 1 }, 400, /metric "thumbs" is boolean, got 1/],
      [{ metric_name: "score", inference_id: inferenceId, value: "high" }, 400, /metric "score" is a float, got "high"/],
      [{ metric_name: "solved", inference_id: inferenceId, value: true }, 400, /episode-level metric: give episode_id/],
      [{ metric_name: "thumbs", episode_id: episodeId, value: true }, 400, /inference-level metric: give inference_id/],
      [{ metric_name: "thumbs", value: true }, 400, /exactly one of inference_id or episode_id/],
      [{ metric_name: "thumbs", inference_id: "x", value: true }, 400, /inference_id/],
      [{ metric_name: "thumbs", inference_id: unknownId, value: true }, 404, new RegExp(`no inference with id ${unknownId}`)],
      [{ metric_name: "comment", inference_id: inferenceId, value: 3 }, 400, /a comment needs a non-empty string/],
      [{ metric_name: "demonstration", episode_id: episodeId, value: "x" }, 400, /for an inference_id/],
    ];
    for (const [body, status, message] of cases) {
      const res = await post(`${gw.url}/api/feedback`, body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.body.error?.message).toMatch(message);
    }
  });

  it("answers 503 when ClickHouse refuses the write", async () => {
    await env.stores.clickhouse.client.command({ query: "RENAME TABLE feedback TO feedback_away" });
    try {
      const res = await post(`${gw.url}/api/feedback`, { metric_name: "thumbs", inference_id: inferenceId, value: true });
      expect(res.status).toBe(503);
      expect(res.body.error?.message).toMatch(/the inference log \(ClickHouse\) is unavailable/);
    } finally {
      await env.stores.clickhouse.client.command({ query: "RENAME TABLE feedback_away TO feedback" });
    }
  });

  it("lets other features record feedback with their own source and reviewer", async () => {
    const id = await recordFeedback(
      { clickhouse: env.stores.clickhouse.client, config: gw.gateway.config },
      { metric_name: "thumbs", inference_id: inferenceId, value: false },
      { source: "human", reviewer: "ann" },
    );
    const [row] = await rows<FeedbackRow>(env.stores, "SELECT * FROM feedback WHERE id = {id:UUID}", { id });
    expect(row!.tags).toEqual({ "llmops.source": "human", "llmops.reviewer": "ann" });
  });
});
