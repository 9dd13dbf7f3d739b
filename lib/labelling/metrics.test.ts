import { describe, expect, it } from "vitest";
import { fieldMetricProblems } from "./metrics";
import { normalizeFields } from "./values";

describe("label fields against declared metrics", () => {
  const declared = new Map([
    ["helpful", { type: "boolean" as const }],
    ["rating", { type: "float" as const }],
    ["resolved", { type: "boolean" as const, level: "episode" as const }],
  ]);

  it("accepts matching kinds and undeclared names", () => {
    const fields = normalizeFields("q", [
      { key: "a", type: "boolean", metric: "helpful" },
      { key: "b", type: "score", metric: "rating" },
      { key: "c", type: "boolean" },
      { key: "d", type: "comment" },
    ]);
    expect(fieldMetricProblems(fields, declared)).toEqual([]);
  });

  it("says which field clashes with a declared metric and how to fix it", () => {
    const fields = normalizeFields("q", [
      { key: "a", type: "score", metric: "helpful" },
      { key: "b", type: "category", metric: "rating", options: ["x", "y"] },
      { key: "c", type: "boolean", metric: "resolved" },
    ]);
    expect(fieldMetricProblems(fields, declared)).toEqual([
      'Field "a" (score) writes metric "helpful", which the gateway declares as boolean; use a boolean field or another metric name',
      'Field "b" (category) writes metric "rating", which the gateway declares as float; use a score field or another metric name',
      'Field "c" writes metric "resolved", which the gateway declares per episode; labels are given per inference, so choose another metric name',
    ]);
  });
});
