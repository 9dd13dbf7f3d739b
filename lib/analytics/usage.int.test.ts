import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestClickHouse, type TestClickHouse } from "@/db/test/clickhouse";
import { toClickHouseTime, type InferenceRow } from "@/lib/inference/tables";
import { usageCells } from "./usage-queries.server";

const T0 = Date.parse("2026-11-20T23:59:58Z");

function inference(i: number, at: number, over: Partial<InferenceRow> = {}): InferenceRow {
  return {
    id: `0193a5b0-0000-7000-8000-${i.toString(16).padStart(12, "0")}`,
    episode_id: `0193a5b0-0000-7000-9000-${i.toString(16).padStart(12, "0")}`,
    function_name: "summarize",
    variant_name: "a",
    model_name: "small",
    provider_name: "dummy",
    prompt_version: "",
    input: "{}",
    output: "{}",
    input_tokens: 100,
    output_tokens: 10,
    cost: 0.5,
    latency_ms: 10,
    ttft_ms: null,
    status: "ok",
    error: "",
    cached: false,
    streamed: false,
    tags: {},
    timestamp: toClickHouseTime(new Date(at)),
    ...over,
  };
}

describe("usage cells (the cost & usage page's query)", () => {
  let ch: TestClickHouse;
  beforeAll(async () => {
    ch = await openTestClickHouse();
    const rows = [
      inference(1, T0),
      inference(2, T0 + 1000, { status: "error", cost: 0 }),
      inference(3, T0 + 3000, { cached: true, cost: 0 }), // 2026-11-21 00:00:01
      inference(4, T0 + 3000, { model_name: "large", cost: 2 }),
      inference(5, T0 + 10_000), // after the range
    ];
    await ch.store.client.insert({ table: "inferences", values: rows, format: "JSONEachRow" });
  });
  afterAll(() => ch.cleanup());

  it("sums each day, model, function and variant over [from, to)", async () => {
    const cells = await usageCells(ch.store.client, { from: T0, to: T0 + 10_000 });
    const byKey = Object.fromEntries(cells.map((c) => [`${c.day} ${c.model}`, c]));
    expect(Object.keys(byKey).sort()).toEqual(["2026-11-20 small", "2026-11-21 large", "2026-11-21 small"]);
    expect(byKey["2026-11-20 small"]).toMatchObject({ requests: 2, errors: 1, cacheHits: 0, inputTokens: 200, cost: 0.5 });
    expect(byKey["2026-11-21 small"]).toMatchObject({ requests: 1, cacheHits: 1, cachedInputTokens: 100, cachedOutputTokens: 10, cost: 0 });
    expect(byKey["2026-11-21 large"]).toMatchObject({ requests: 1, fn: "summarize", variant: "a", cost: 2 });
  });
});
