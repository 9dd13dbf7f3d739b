import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestClickHouse, type TestClickHouse } from "@/db/test/clickhouse";
import { listEpisodeMembers } from "./get.server";
import { countInferences, listInferenceIds, listInferenceRows, listModelNames, selectInferenceSnapshots } from "./list.server";
import {
  findTurn,
  loadExamples,
  loadInferencesForJudging,
  loadInputsOutputs,
  modelCallTotals,
  recentInferencesOfVariants,
  servingVariants,
  variantsUsingPromptVersions,
} from "./lookups.server";
import { insertFeedback } from "./store.server";
import { DEMONSTRATION_METRIC, toClickHouseTime, type InferenceRow, type ModelCallRow } from "./tables";

const T0 = Date.parse("2026-11-20T00:00:00Z");
const id = (prefix: number, n: number) => `0193a5b0-${prefix.toString(16).padStart(4, "0")}-7000-8000-${n.toString(16).padStart(12, "0")}`;

function inference(i: number): InferenceRow {
  return {
    id: id(1, i),
    episode_id: id(2, Math.floor(i / 4)),
    function_name: i % 2 === 0 ? "summarize" : "extract",
    variant_name: i % 3 === 0 ? "a" : "b",
    model_name: i % 5 === 0 ? "large" : "small",
    provider_name: "dummy",
    prompt_version: i % 2 === 0 ? "summarize-system/2" : "",
    input: JSON.stringify({ messages: [{ role: "user", content: `question ${i} ${"x".repeat(50)}` }] }),
    output: JSON.stringify({ content: `answer ${i}` }),
    input_tokens: 10,
    output_tokens: 20,
    cost: 0.25,
    latency_ms: 100 + i,
    ttft_ms: i % 2 ? 30 : null,
    status: i % 7 === 0 ? "error" : "ok",
    error: i % 7 === 0 ? "upstream 500" : "",
    cached: i % 6 === 1,
    streamed: false,
    tags: { user: `u${i % 3}`, team: i < 20 ? "search" : "ads" },
    end_user: `u${i % 3}`,
    timestamp: toClickHouseTime(new Date(T0 + i * 1500)),
  };
}

const call = (attempt: number, cost: number): ModelCallRow => ({
  id: id(7, attempt),
  inference_id: id(1, 3),
  attempt,
  function_name: "extract",
  variant_name: "a",
  model_name: "small",
  provider_name: "p",
  request: "{}",
  response: "{}",
  input_tokens: 10,
  output_tokens: 20,
  cost,
  latency_ms: 50,
  ttft_ms: null,
  status: "ok",
  error: "",
  timestamp: toClickHouseTime(new Date(T0 + 4500)),
});

describe("the inference log's reads (lib/inference)", () => {
  let ch: TestClickHouse;
  const rows = Array.from({ length: 40 }, (_, i) => inference(i));
  const matches = (f: (r: InferenceRow) => boolean) => rows.filter(f).map((r) => r.id);

  beforeAll(async () => {
    ch = await openTestClickHouse();
    await ch.store.client.insert({ table: "inferences", values: rows, format: "JSONEachRow" });
    await ch.store.client.insert({ table: "model_calls", values: [call(0, 0.125), call(1, 0.5)], format: "JSONEachRow" });
    await insertFeedback(ch.store.client, [
      {
        id: id(9, 1),
        target_type: "inference",
        target_id: id(1, 2),
        function_name: "summarize",
        variant_name: "b",
        metric_name: DEMONSTRATION_METRIC,
        kind: "demonstration",
        value: 0,
        text: JSON.stringify({ content: "better" }),
        tags: {},
        timestamp: toClickHouseTime(new Date(T0 + 60_000)),
      },
      {
        id: id(9, 2),
        target_type: "inference",
        target_id: id(1, 4),
        function_name: "summarize",
        variant_name: "b",
        metric_name: "helpful",
        kind: "boolean",
        value: 1,
        text: "",
        tags: {},
        timestamp: toClickHouseTime(new Date(T0 + 60_000)),
      },
    ]);
  });
  afterAll(() => ch.cleanup());

  it("counts and lists what the filter selects, with parsed rows", async () => {
    const client = ch.store.client;
    const filter = { functionName: "summarize", status: "ok", tags: [{ key: "team", value: "search" }] };
    const expected = matches((r) => r.function_name === "summarize" && r.status === "ok" && r.tags.team === "search");
    expect(await countInferences(client, filter)).toBe(expected.length);
    const listed = await listInferenceRows(client, filter, { limit: 100 });
    expect(listed.map((r) => r.id)).toEqual([...expected].reverse());
    expect(listed[0]).toMatchObject({ latency_ms: expect.any(Number), input_tokens: 10, cost: 0.25, cached: false, preview: "answer 18" });
    expect(await listInferenceIds(client, { endUser: "u1", to: T0 + 15 * 1500 }, 100).then((ids) => ids.sort())).toEqual(
      matches((r) => r.end_user === "u1" && Date.parse(`${r.timestamp.replace(" ", "T")}Z`) < T0 + 15 * 1500).sort(),
    );
    expect(await countInferences(client, { missingFeedback: "helpful", functionName: "summarize" })).toBe(19);
    expect(await countInferences(client, { feedback: { metric: "helpful", op: "eq", value: 1 } })).toBe(1);
    expect(await listModelNames(client, { functionName: "extract" })).toEqual(["large", "small"]);
  });

  it("samples the same rows for the same seed and cuts snapshots to length", async () => {
    const take = () => selectInferenceSnapshots(ch.store.client, { status: "ok" }, { sample: { seed: 7 }, limit: 5, maxChars: 20 });
    const [a, b] = [await take(), await take()];
    expect(a.map((r) => r.id)).toEqual(b.map((r) => r.id));
    expect(a).toHaveLength(5);
    for (const r of a) expect(r.input_snapshot).toHaveLength(20);
  });

  it("reads known inferences by id for other domains", async () => {
    const client = ch.store.client;
    const judged = await loadInferencesForJudging(client, {
      ids: [id(1, 3), id(1, 5)],
      functionNames: ["extract"],
      from: T0,
      to: T0 + 10_000,
    });
    expect(judged.sort((x, y) => x.id.localeCompare(y.id))).toEqual([
      expect.objectContaining({ id: id(1, 3), variant_name: "a", latency_ms: 103, cost: 0.25 }),
      expect.objectContaining({ id: id(1, 5), variant_name: "b", latency_ms: 105, cost: 0.25 }),
    ]);
    expect(await findTurn(client, id(1, 3), { from: T0, to: T0 + 4500 })).toBeUndefined();
    expect(await findTurn(client, id(1, 3), { from: T0, to: T0 + 4501 })).toMatchObject({ episode_id: id(2, 0), status: "ok" });
    expect(await modelCallTotals(client, id(1, 3))).toEqual({ cost: 0.625, calls: 2 });
    expect(await modelCallTotals(client, id(1, 4))).toEqual({ cost: 0, calls: 0 });
    expect((await loadInputsOutputs(client, [id(1, 1), id(1, 99)])).map((r) => r.id)).toEqual([id(1, 1)]);
    const examples = await loadExamples(client, [id(1, 2), id(1, 6)]);
    expect(Object.fromEntries(examples.map((e) => [e.id, e.demonstration]))).toEqual({
      [id(1, 2)]: JSON.stringify({ content: "better" }),
      [id(1, 6)]: "",
    });
    expect((await listEpisodeMembers(client, id(2, 1), 10)).map((m) => m.id)).toEqual([4, 5, 6, 7].map((i) => id(1, i)));
  });

  it("answers lineage's questions: variants, prompt versions, recent inferences", async () => {
    const client = ch.store.client;
    const users = await variantsUsingPromptVersions(client, ["summarize-system/2"], 10);
    expect(users.map((u) => `${u.f}/${u.v}/${u.p}`).sort()).toEqual(["summarize/a/summarize-system/2", "summarize/b/summarize-system/2"]);
    const recent = await recentInferencesOfVariants(client, ["extract"], ["a"], 2, 10);
    expect(recent.map((r) => r.iid)).toEqual([id(1, 39), id(1, 33)]);
    const served = await servingVariants(client, [id(1, 0), id(1, 1), id(1, 98)]);
    expect(served.map((s) => [s.iid, s.f, s.v]).sort()).toEqual([
      [id(1, 0), "summarize", "a"],
      [id(1, 1), "extract", "b"],
    ]);
    expect(await servingVariants(client, [id(1, 0), id(1, 1)], 1)).toHaveLength(1);
  });
});
