import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { openTestClickHouse, testClickHouseEngine, type TestClickHouse } from "@/db/test/clickhouse";
import { listInferences } from "@/lib/analytics/inferences.server";
import { inferenceConditions, whereSql } from "./filter";
import { countInferences } from "./list.server";
import { toClickHouseTime, type InferenceRow } from "./tables";

const T0 = Date.parse("2026-11-20T00:00:00Z");
const HOUR = 3_600_000;
const id = (n: number) => `0193a5b0-0001-7000-8000-${n.toString(16).padStart(12, "0")}`;

function row(n: number, at: number, input: string, output: string): InferenceRow {
  return {
    id: id(n),
    episode_id: id(1000 + n),
    function_name: "support",
    variant_name: "a",
    model_name: "small",
    provider_name: "dummy",
    prompt_version: "",
    input: JSON.stringify({ messages: [{ role: "user", content: input }] }),
    output: JSON.stringify({ content: output }),
    input_tokens: 1,
    output_tokens: 1,
    cost: 0,
    latency_ms: 10,
    ttft_ms: null,
    status: "ok",
    error: "",
    cached: false,
    streamed: false,
    tags: {},
    timestamp: toClickHouseTime(new Date(at)),
  };
}

const rows = [
  row(1, T0 + 1000, "Where is my parcel?", "Your Parcel ships on Monday from Zürich."),
  row(2, T0 + 2000, "Refund please", "A refund of 100% is on its way"),
  row(3, T0 + 3000, "Discount?", "Use code SAVE_10 for 10 percent off"),
  row(4, T0 + 4000, "path", "C:\\temp\\file"),
  // The same word as row 1, but a day earlier: outside the ranges searched below.
  row(5, T0 - 24 * HOUR, "old question", "Your parcel was lost"),
  // Many rows without the word, so the index has granules to skip.
  ...Array.from({ length: 200 }, (_, i) => row(100 + i, T0 + 10_000 + i, `filler ${i}`, `nothing to see ${i}`)),
];

const range = { from: T0, to: T0 + HOUR };

describe(`inference text search (${testClickHouseEngine()})`, () => {
  let ch: TestClickHouse;
  const search = async (text: string, r = range) =>
    (await listInferences(ch.store.client, { ...r, text, limit: 50 })).items.map((i) => i.id).sort();

  beforeAll(async () => {
    ch = await openTestClickHouse();
    await ch.store.client.insert({ table: "inferences", values: rows, format: "JSONEachRow" });
  });
  afterAll(() => ch?.cleanup());

  it("finds an inference by a word of its output, in either case, with the total count", async () => {
    expect(await search("parcel ships")).toEqual([id(1)]);
    expect(await search("PARCEL")).toEqual([id(1)]);
    // lowerUTF8 on both sides: non-ASCII letters match across case too.
    expect(await search("ZÜRICH")).toEqual([id(1)]);
    const page = await listInferences(ch.store.client, { ...range, text: "filler 1", limit: 5 });
    // "filler 1", "filler 10".."filler 19", "filler 100".."filler 199": 111 inputs.
    expect(page.items).toHaveLength(5);
    expect(page.total).toBe(111);
  });

  it("finds by the input too, and nothing outside the time range", async () => {
    expect(await search("refund please")).toEqual([id(2)]);
    expect(await search("parcel")).toEqual([id(1)]);
    expect(await search("parcel", { from: T0 - 48 * HOUR, to: T0 - 12 * HOUR })).toEqual([id(5)]);
    expect(await countInferences(ch.store.client, { from: T0 + 2 * HOUR, to: T0 + 3 * HOUR, text: "parcel" })).toBe(0);
  });

  it("treats %, _ and \\ as themselves, never as LIKE wildcards", async () => {
    expect(await search("100%")).toEqual([id(2)]);
    expect(await search("%")).toEqual([id(2)]);
    expect(await search("SAVE_10")).toEqual([id(3)]);
    // `_` as a wildcard would match "SAVE 10"-like text; as itself it matches only row 3.
    expect(await search("e_1")).toEqual([id(3)]);
    expect(await search("_")).toEqual([id(3)]);
    // The output holds JSON, where one backslash is written as two.
    expect(await search("temp\\\\file")).toEqual([id(4)]);
    expect(await search("' OR 1=1 --")).toEqual([]);
  });

  it("skips granules through the n-gram index of migration 0009", async () => {
    // A text in no row: the bloom filter rules out every granule, so none is read.
    const where = inferenceConditions({ ...range, text: "quokka marmalade" });
    const rs = await ch.store.client.query({
      query: `EXPLAIN indexes = 1 SELECT id FROM inferences ${whereSql(where)}`,
      query_params: where.params,
      format: "JSONEachRow",
    });
    const plan = z
      .array(z.object({ explain: z.string() }))
      .parse(await rs.json())
      .map((r) => r.explain)
      .join("\n");
    const skip = plan.slice(plan.indexOf("Name: inference_text_ngram"));
    expect(skip).toContain("Name: inference_text_ngram");
    expect(skip).toMatch(/Granules: 0\/[1-9]/);
  });
});
