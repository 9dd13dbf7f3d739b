import { describe, expect, it } from "vitest";
import { containsPattern, inferenceConditions, whereSql } from "./filter";

const from = Date.UTC(2026, 10, 20, 10, 0, 0, 250);
const to = Date.UTC(2026, 10, 21, 10, 0, 0, 999);

describe("inferenceConditions", () => {
  it("gives no condition for an empty filter", () => {
    const built = inferenceConditions({});
    expect(built).toEqual({ conditions: [], params: {} });
    expect(whereSql(built)).toBe("");
  });

  it("passes every value as a typed parameter, never in the SQL text", () => {
    const hostile = "x' OR 1=1 --";
    const built = inferenceConditions({
      functionName: hostile,
      variantName: hostile,
      modelName: hostile,
      status: hostile,
      endUser: hostile,
      episodeId: hostile,
      tags: [{ key: hostile, value: hostile }],
      missingFeedback: hostile,
      feedback: { metric: hostile, op: "gte", value: 0.5 },
    });
    const sql = whereSql(built);
    expect(sql).not.toContain(hostile);
    expect(sql).not.toContain("OR 1=1");
    expect(built.params).toEqual({
      fn: hostile,
      variant: hostile,
      model: hostile,
      status: hostile,
      end_user: hostile,
      episode: hostile,
      tag_k0: hostile,
      tag_v0: hostile,
      fb_metric: hostile,
      fb_value: 0.5,
      missing: hostile,
    });
  });

  it("writes the conditions of each field", () => {
    const built = inferenceConditions({
      from,
      to,
      id: "0193a5b0-0000-7000-8000-00000000000c",
      ids: ["0193a5b0-0000-7000-8000-00000000000a"],
      functionName: "summarize",
      functionNames: ["a", "b"],
      variantName: "v1",
      modelName: "m",
      status: "ok",
      endUser: "u1",
      tags: [
        { key: "team", value: "search" },
        { key: "env", value: "prod" },
      ],
      before: { ts: "2026-11-21 09:00:00.123", id: "0193a5b0-0000-7000-8000-00000000000b" },
    });
    expect(built.conditions).toEqual([
      "timestamp >= {from:DateTime64(3, 'UTC')}",
      "timestamp < {to:DateTime64(3, 'UTC')}",
      "id = {id:UUID}",
      "id IN {ids:Array(UUID)}",
      "function_name = {fn:String}",
      "function_name IN {fns:Array(String)}",
      "variant_name = {variant:String}",
      "model_name = {model:String}",
      "status = {status:String}",
      "end_user = {end_user:String}",
      "tags[{tag_k0:String}] = {tag_v0:String}",
      "tags[{tag_k1:String}] = {tag_v1:String}",
      "(timestamp, id) < ({cts:DateTime64(3, 'UTC')}, {cid:UUID})",
    ]);
    expect(built.params).toMatchObject({
      from: "2026-11-20 10:00:00.250",
      to: "2026-11-21 10:00:00.999",
      fns: ["a", "b"],
      tag_k1: "env",
      tag_v1: "prod",
      cts: "2026-11-21 09:00:00.123",
    });
    expect(whereSql(built)).toBe(`WHERE ${built.conditions.join(" AND ")}`);
  });

  it("passes whole seconds as DateTime at second precision", () => {
    const built = inferenceConditions({ from, to }, { precision: "second" });
    expect(built.conditions).toEqual(["timestamp >= {from:DateTime('UTC')}", "timestamp < {to:DateTime('UTC')}"]);
    expect(built.params).toEqual({ from: "2026-11-20 10:00:00", to: "2026-11-21 10:00:00" });
  });

  it("prefixes every parameter name when asked, for use as a subquery", () => {
    const built = inferenceConditions({ from, functionName: "f", tags: [{ key: "k", value: "v" }] }, { prefix: "inf_" });
    expect(Object.keys(built.params).sort()).toEqual(["inf_fn", "inf_from", "inf_tag_k0", "inf_tag_v0"]);
    expect(whereSql(built)).toBe(
      "WHERE timestamp >= {inf_from:DateTime64(3, 'UTC')} AND function_name = {inf_fn:String} AND tags[{inf_tag_k0:String}] = {inf_tag_v0:String}",
    );
  });

  it("scopes a feedback condition by the filter's start and function, and compares the latest value", () => {
    for (const [op, sign] of [
      ["eq", "="],
      ["gte", ">="],
      ["lte", "<="],
    ] as const) {
      const [condition] = inferenceConditions({ feedback: { metric: "quality", op, value: 1 } }).conditions;
      expect(condition).toContain("metric_name = {fb_metric:String} AND target_type = 'inference'");
      expect(condition).not.toContain("timestamp >=");
      expect(condition).toContain(`HAVING argMax(value, timestamp) ${sign} {fb_value:Float64}`);
    }
    const scoped = inferenceConditions(
      { from, functionName: "f", feedback: { metric: "quality", op: "eq", value: 1 } },
      { precision: "second" },
    );
    expect(scoped.conditions.at(-1)).toContain(
      "metric_name = {fb_metric:String} AND target_type = 'inference' AND timestamp >= {from:DateTime('UTC')} AND function_name = {fn:String}",
    );
  });

  it("excludes inferences with feedback on a metric", () => {
    expect(inferenceConditions({ missingFeedback: "quality" }).conditions).toEqual([
      "id NOT IN (SELECT target_id FROM feedback_by_target WHERE metric_name = {missing:String})",
    ]);
  });

  it("searches text as an escaped, lowercased LIKE parameter over the indexed expression", () => {
    const built = inferenceConditions({ text: "50%_Off\\' OR 1=1" });
    expect(built.conditions).toEqual(["lowerUTF8(concat(input, '\\0', output)) LIKE {text:String}"]);
    expect(built.params).toEqual({ text: "%50\\%\\_off\\\\' or 1=1%" });
    expect(containsPattern("ÄB")).toBe("%äb%");
  });
});
