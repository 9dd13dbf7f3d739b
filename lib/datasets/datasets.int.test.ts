import { beforeAll, expect, it } from "vitest";
import { insertTestInferences } from "@/db/test/inferences";
import { describeTracking } from "@/db/test/tracking";
import { toClickHouseTime } from "@/lib/inference/tables";
import { createFromInferences } from "./from-inferences.server";
import { createFromPromptfoo, createFromUpload } from "./service.server";
import { getDatasetVersion, getDatasetVersions, listDatasets } from "./store.server";

let inserted: { id: string }[] = [];

describeTracking("datasets", (stores) => {
  beforeAll(async () => {
    if (inserted.length) return;
    const ch = stores().ctx.clickhouse;
    inserted = await insertTestInferences(ch, { count: 3, functionName: "qa", idPrefix: "0193a5b1" });
    await ch.insert({
      table: "feedback",
      format: "JSONEachRow",
      values: [
        {
          id: "0193a5b1-0000-7000-a000-000000000001",
          target_type: "inference",
          target_id: inserted[1]!.id,
          function_name: "qa",
          variant_name: "concise",
          metric_name: "demonstration",
          kind: "demonstration",
          value: 0,
          text: JSON.stringify({ content: "The corrected summary" }),
          tags: {},
          timestamp: toClickHouseTime(new Date()),
        },
      ],
    });
  });

  it("saves an upload as an immutable version, idempotently, and refuses a file with bad rows naming them", async () => {
    const ctx = stores().ctx;
    const text = [
      JSON.stringify({ vars: { q: "2+2?" }, expected: "4", context: "Arithmetic.", assert: [{ type: "contains", value: "4" }] }),
      JSON.stringify({ vars: { q: "Capital of France?" }, expected: "Paris", tags: { topic: "geo" } }),
    ].join("\n");
    const v1 = await createFromUpload(ctx, { name: "upload-set", format: "jsonl", text, fileName: "qa.jsonl" });
    expect(v1).toMatchObject({ version: 1, itemCount: 2, existing: false, source: { kind: "upload", format: "jsonl" } });
    expect(v1.mlflow.source).toBe(JSON.stringify({ uri: "/api/datasets/upload-set/versions/1" }));
    const again = await createFromUpload(ctx, { name: "upload-set", format: "jsonl", text });
    expect(again).toMatchObject({ version: 1, existing: true, digest: v1.digest });
    const full = await getDatasetVersion(ctx, "upload-set", 1);
    expect(full.items[0]).toMatchObject({
      position: 0,
      inferenceId: null,
      expectedOutput: "4",
      context: "Arithmetic.",
      assertions: [{ type: "contains", value: "4" }],
    });
    expect(JSON.parse(full.items[0]!.input)).toEqual({ variables: { q: "2+2?" } });
    expect(full.items[1]!.tags).toEqual({ topic: "geo" });

    await expect(createFromUpload(ctx, { name: "upload-set", format: "csv", text: 'q,expected\nok,1\n"broken\n' })).rejects.toThrow(
      /1 row cannot be read \(line 3: Quote Not Closed/,
    );
    expect((await getDatasetVersions(ctx, "upload-set")).map((v) => v.version)).toEqual([1]);
    expect((await listDatasets(ctx)).find((d) => d.name === "upload-set")).toMatchObject({ versions: 1, latest: 1, items: 2 });
  });

  it("saves inferences expecting their output or their latest demonstration", async () => {
    const ctx = stores().ctx;
    const ids = inserted.map((r) => r.id);
    const outputs = await createFromInferences(ctx, { name: "picked", inferenceIds: ids, expected: "output" });
    expect(outputs).toMatchObject({ itemCount: 3, source: { kind: "inferences", expected: "output" } });
    const items = (await getDatasetVersion(ctx, "picked", 1)).items;
    expect(items.map((i) => [i.inferenceId, i.expectedOutput])).toEqual(ids.map((id, n) => [id, `Summary ${n}`]));
    expect(JSON.parse(items[0]!.input)).toEqual({ messages: [{ role: "user", content: "Summarise document 0" }] });

    const demos = await createFromInferences(ctx, { name: "picked", inferenceIds: ids, expected: "demonstration" });
    expect(demos).toMatchObject({ version: 2, itemCount: 1 });
    expect((await getDatasetVersion(ctx, "picked", 2)).items[0]!.expectedOutput).toBe("The corrected summary");
    await expect(
      createFromInferences(ctx, { name: "picked", inferenceIds: ["0193a5b1-0000-7000-8000-0000000000ff"], expected: "output" }),
    ).rejects.toThrow(/No inference with id 0193a5b1-0000-7000-8000-0000000000ff/);
  });

  it("saves a promptfoo config's tests", async () => {
    const ctx = stores().ctx;
    const config = "tests:\n  - vars: {q: hello}\n    assert:\n      - type: icontains\n        value: hello\n";
    const v = await createFromPromptfoo(ctx, { name: "pf", config });
    expect(v).toMatchObject({ itemCount: 1, source: { kind: "promptfoo" } });
    expect((await getDatasetVersion(ctx, "pf", 1)).items[0]!.assertions).toEqual([{ type: "icontains", value: "hello" }]);
    await expect(createFromPromptfoo(ctx, { name: "pf", config: "tests: [" })).rejects.toThrow(/not valid YAML/);
  });
});
