import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestClickHouse, type TestClickHouse } from "@/db/test/clickhouse";
import { insertFeedback } from "@/lib/inference/store.server";
import { toClickHouseTime, type InferenceRow, type ModelCallRow } from "@/lib/inference/tables";
import { decodeCursor, encodeCursor } from "./cursor";
import { getInference, inferenceFacets, listInferences, type InferenceFilters } from "./inferences.server";

const T0 = Date.parse("2026-11-20T00:00:00Z");
const id = (prefix: number, n: number) => `0193a5b0-${prefix.toString(16).padStart(4, "0")}-7000-8000-${n.toString(16).padStart(12, "0")}`;

function inference(i: number): InferenceRow {
  return {
    id: id(1, i),
    episode_id: id(2, Math.floor(i / 2)),
    function_name: i % 3 === 0 ? "extract" : "summarize",
    variant_name: i % 2 === 0 ? "a" : "b",
    model_name: i % 4 === 0 ? "large" : "small",
    provider_name: "dummy",
    prompt_version: "",
    input: JSON.stringify({ messages: [{ role: "user", content: `question ${i}` }] }),
    output: JSON.stringify({ content: `<b>answer</b> ${i}` }),
    input_tokens: 10,
    output_tokens: 20,
    cost: 0.001,
    latency_ms: 100 + i,
    ttft_ms: null,
    status: i % 10 === 0 ? "error" : "ok",
    error: i % 10 === 0 ? "upstream 500" : "",
    cached: false,
    streamed: false,
    tags: { user: `u${i % 3}` },
    // Several rows share a timestamp, so the keyset must break ties on id.
    timestamp: toClickHouseTime(new Date(T0 + Math.floor(i / 3) * 1000)),
  };
}

describe("inference browser queries", () => {
  let ch: TestClickHouse;
  const rows = Array.from({ length: 95 }, (_, i) => inference(i));
  const base: InferenceFilters = { from: T0, to: T0 + 3_600_000, limit: 10 };

  beforeAll(async () => {
    ch = await openTestClickHouse();
    await ch.store.client.insert({ table: "inferences", values: rows, format: "JSONEachRow" });
    const call = (attempt: number, status: "ok" | "error"): ModelCallRow => ({
      id: id(7, attempt),
      inference_id: id(1, 1),
      attempt,
      function_name: "summarize",
      variant_name: "b",
      model_name: attempt === 0 ? "small" : "fallback",
      provider_name: attempt === 0 ? "p1" : "p2",
      request: "{}",
      response: status === "ok" ? '{"content":"ok"}' : "",
      input_tokens: 10,
      output_tokens: status === "ok" ? 20 : 0,
      cost: 0,
      latency_ms: 50,
      ttft_ms: null,
      status,
      error: status === "ok" ? "" : "timeout",
      timestamp: toClickHouseTime(new Date(T0 + attempt)),
    });
    await ch.store.client.insert({ table: "model_calls", values: [call(1, "ok"), call(0, "error")], format: "JSONEachRow" });
    const fb = (n: number, target: string, value: number, minutes: number, type: "inference" | "episode" = "inference") => ({
      id: id(9, n),
      target_type: type,
      target_id: target,
      function_name: "summarize",
      variant_name: "b",
      metric_name: "helpful",
      kind: "boolean" as const,
      value,
      text: "",
      tags: { "llmops.source": "api" },
      timestamp: toClickHouseTime(new Date(T0 + minutes * 60_000)),
    });
    // Inference 1 judged helpful then not; inference 5 helpful; episode 0 (inferences 0, 1) helpful.
    await insertFeedback(ch.store.client, [
      fb(1, id(1, 1), 1, 1),
      fb(2, id(1, 1), 0, 2),
      fb(3, id(1, 5), 1, 1),
      fb(4, id(2, 0), 1, 3, "episode"),
    ]);
  });
  afterAll(() => ch?.cleanup());

  it("pages through every row exactly once, newest first, by keyset", async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 20; page++) {
      const result = await listInferences(ch.store.client, { ...base, cursor: cursor ? decodeCursor(cursor) : undefined });
      seen.push(...result.items.map((r) => r.id));
      if (!result.next) break;
      cursor = encodeCursor(result.next);
    }
    expect(seen).toHaveLength(rows.length);
    expect(new Set(seen).size).toBe(rows.length);
    const times = seen.map((s) => rows.find((r) => r.id === s)?.timestamp ?? "");
    expect([...times].sort().reverse()).toEqual(times);
  });

  it("filters by function, variant, model, status and tags", async () => {
    const result = await listInferences(ch.store.client, {
      ...base,
      limit: 100,
      functionName: "summarize",
      variantName: "b",
      modelName: "small",
      status: "ok",
      tags: [{ key: "user", value: "u1" }],
    });
    const expected = rows.filter(
      (r) =>
        r.function_name === "summarize" && r.variant_name === "b" && r.model_name === "small" && r.status === "ok" && r.tags.user === "u1",
    );
    expect(result.items.map((r) => r.id).sort()).toEqual(expected.map((r) => r.id).sort());
    expect(result.items[0]?.preview).toMatch(/^<b>answer<\/b> \d+$/);
  });

  it("filters by an inference's latest feedback value", async () => {
    const helpful = await listInferences(ch.store.client, { ...base, limit: 100, feedback: { metric: "helpful", op: "eq", value: 1 } });
    expect(helpful.items.map((r) => r.id)).toEqual([id(1, 5)]);
    const unhelpful = await listInferences(ch.store.client, { ...base, limit: 100, feedback: { metric: "helpful", op: "lte", value: 0 } });
    expect(unhelpful.items.map((r) => r.id)).toEqual([id(1, 1)]);
  });

  it("stays inside the time range", async () => {
    const result = await listInferences(ch.store.client, { from: T0 + 10_000, to: T0 + 12_000, limit: 100 });
    expect(result.items).toHaveLength(6);
  });

  it("opens one inference with its model calls in order, its and its episode's feedback, and the episode", async () => {
    const detail = await getInference(ch.store.client, id(1, 1));
    expect(detail).toMatchObject({ id: id(1, 1), episodeId: id(2, 0), functionName: "summarize", variantName: "b", tags: { user: "u1" } });
    expect(detail?.modelCalls.map((c) => [c.attempt, c.status, c.providerName])).toEqual([
      [0, "error", "p1"],
      [1, "ok", "p2"],
    ]);
    expect(detail?.feedback.map((f) => [f.targetType, f.value])).toEqual([
      ["episode", 1],
      ["inference", 0],
      ["inference", 1],
    ]);
    expect(detail?.episode.map((e) => e.id)).toEqual([id(1, 0), id(1, 1)]);
    expect(await getInference(ch.store.client, id(1, 999))).toBeUndefined();
  });

  it("lists filter values", async () => {
    const facets = await inferenceFacets(ch.store.client, T0, T0 + 3_600_000);
    expect(facets).toEqual({ functions: ["extract", "summarize"], variants: ["a", "b"], models: ["large", "small"], metrics: ["helpful"] });
  });
});
