import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestClickHouse, type TestClickHouse } from "@/db/test/clickhouse";
import { insertFeedback, lookupTargets } from "./store.server";
import { toClickHouseTime, type InferenceRow } from "./tables";

const episode = "0193a5b0-0000-7000-8000-000000000001";
const first = "0193a5b0-0000-7000-8000-00000000000a";
const second = "0193a5b0-0001-7000-8000-00000000000b";

function inference(id: string, variant: string, at: Date): InferenceRow {
  return {
    id,
    episode_id: episode,
    function_name: "summarize",
    variant_name: variant,
    model_name: "m",
    provider_name: "dummy",
    prompt_version: "summarize-system/1",
    input: JSON.stringify({ messages: [{ role: "user", content: "hi" }] }),
    output: JSON.stringify({ content: "hello" }),
    input_tokens: 3,
    output_tokens: 1,
    cost: 0.0001,
    latency_ms: 12,
    ttft_ms: null,
    status: "ok",
    error: "",
    cached: false,
    streamed: false,
    tags: { user: "u1" },
    timestamp: toClickHouseTime(at),
  };
}

describe("the gateway's log tables", () => {
  let ch: TestClickHouse;
  beforeAll(async () => {
    ch = await openTestClickHouse();
    await ch.store.client.insert({
      table: "inferences",
      values: [
        inference(first, "concise", new Date("2026-11-01T10:00:00Z")),
        inference(second, "detailed", new Date("2026-11-01T10:05:00Z")),
      ],
      format: "JSONEachRow",
    });
  });
  afterAll(() => ch.cleanup());

  it("finds inference targets by id through the lookup table, and skips unknown ids", async () => {
    const found = await lookupTargets(ch.store.client, "inference", [first, "0193a5b0-0000-7000-8000-0000000000ff"]);
    expect([...found.keys()]).toEqual([first]);
    expect(found.get(first)).toEqual({ id: first, episode_id: episode, function_name: "summarize", variant_name: "concise" });
  });

  it("gives an episode the variant of its first inference", async () => {
    const found = await lookupTargets(ch.store.client, "episode", [episode]);
    expect(found.get(episode)?.variant_name).toBe("concise");
  });

  it("writes feedback that the by-target table finds", async () => {
    await insertFeedback(ch.store.client, [
      {
        id: "0193a5b0-0002-7000-8000-000000000c01",
        target_type: "inference",
        target_id: first,
        function_name: "summarize",
        variant_name: "concise",
        metric_name: "helpful",
        kind: "boolean",
        value: 1,
        text: "",
        tags: { "llmops.source": "api" },
        timestamp: toClickHouseTime(new Date("2026-11-01T10:01:00Z")),
      },
    ]);
    const result = await ch.store.client.query({
      query: "SELECT metric_name, kind FROM feedback_by_target WHERE target_id = {id:UUID}",
      query_params: { id: first },
      format: "JSONEachRow",
    });
    expect(await result.json()).toEqual([{ metric_name: "helpful", kind: "boolean" }]);
  });
});
