import { describe, expect, it } from "vitest";
import { buildDatasetItems, checkGoodRule, defaultGoodRule } from "./dataset-items";
import { normalizeFields } from "./values";

const fields = normalizeFields("q", [
  { key: "quality", type: "score" },
  { key: "helpful", type: "boolean" },
  { key: "fix", type: "correction" },
]);
const item = (n: number, labels: Record<string, (boolean | number | string)[]>) => ({
  inferenceId: `id-${n}`,
  position: n,
  input: `{"messages":[{"role":"user","content":"q${n}"}]}`,
  output: JSON.stringify({ content: `answer ${n}` }),
  labels,
});

describe("dataset items from labels", () => {
  it("takes the corrected answer first, else the output of items every reviewer judged good", () => {
    const items = buildDatasetItems(fields, [
      item(2, { helpful: [true, true] }),
      item(1, { helpful: [false], fix: ["better 1", "best 1"] }),
      item(3, { helpful: [true, false] }),
      item(4, { quality: [5] }),
    ]);
    expect(items.map((i) => [i.inferenceId, i.expectedOutput])).toEqual([
      ["id-1", "best 1"],
      ["id-2", "answer 2"],
    ]);
  });

  it("judges good by a score threshold when asked", () => {
    const items = buildDatasetItems(fields, [item(1, { quality: [4, 5] }), item(2, { quality: [3, 5] })], { field: "quality", min: 4 });
    expect(items.map((i) => i.inferenceId)).toEqual(["id-1"]);
  });

  it("defaults to the first boolean field and refuses text fields as the rule", () => {
    expect(defaultGoodRule(fields)).toEqual({ field: "helpful" });
    expect(checkGoodRule(fields, { field: "fix" })).toMatch(/boolean or score/);
    expect(checkGoodRule(fields, { field: "nope" })).toMatch(/no field "nope"/);
  });
});
