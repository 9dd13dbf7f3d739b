import { describe, expect, it } from "vitest";
import { parseFilter, parseOrderBy } from "./parse";

describe("parseFilter", () => {
  it("reads comparisons joined by AND, in any case, with or without spaces", () => {
    expect(parseFilter("metrics.rmse < 1 and params.model = 'lr' AND tags.team='ml'")).toEqual([
      {
        identifier: { entity: "metrics", key: "rmse", text: "metrics.rmse" },
        comparator: "<",
        value: { kind: "number", value: 1, text: "1" },
        text: "metrics.rmse < 1",
      },
      {
        identifier: { entity: "params", key: "model", text: "params.model" },
        comparator: "=",
        value: { kind: "string", value: "lr", text: "'lr'" },
        text: "params.model = 'lr'",
      },
      {
        identifier: { entity: "tags", key: "team", text: "tags.team" },
        comparator: "=",
        value: { kind: "string", value: "ml", text: "'ml'" },
        text: "tags.team='ml'",
      },
    ]);
  });

  it("accepts quoted keys with backticks or double quotes, and dotted bare keys", () => {
    const [a, b, c] = parseFilter('tags.`mlflow.runName` = "x" and metrics."val loss" >= -1.5e-3 and tags.mlflow.user != \'ann\'');
    expect(a?.identifier).toMatchObject({ entity: "tags", key: "mlflow.runName" });
    expect(a?.value).toEqual({ kind: "string", value: "x", text: '"x"' });
    expect(b?.identifier).toMatchObject({ entity: "metrics", key: "val loss" });
    expect(b?.value).toMatchObject({ kind: "number", value: -0.0015 });
    expect(c?.identifier).toMatchObject({ entity: "tags", key: "mlflow.user" });
    expect(c?.comparator).toBe("!=");
  });

  it("reads bare attributes, keyword comparators and lists", () => {
    const [a, b, c] = parseFilter("status = 'FINISHED' and params.a ilike '%x%' and attributes.run_id not in ('a1', \"b2\")");
    expect(a?.identifier).toEqual({ key: "status", text: "status" });
    expect(b?.comparator).toBe("ILIKE");
    expect(c?.comparator).toBe("NOT IN");
    expect(c?.value).toMatchObject({ kind: "list", values: ["a1", "b2"] });
  });

  it("unescapes doubled and backslashed quotes inside strings", () => {
    expect(parseFilter("params.a = 'it''s' and params.b = 'o\\'k'").map((c) => c.value)).toMatchObject([
      { kind: "string", value: "it's" },
      { kind: "string", value: "o'k" },
    ]);
  });

  it("keeps unknown operators and bare words for the surface to reject with MLflow's message", () => {
    expect(parseFilter("metrics.a == 1")[0]?.comparator).toBe("==");
    expect(parseFilter("params.a = foo")[0]?.value).toEqual({ kind: "bare", text: "foo" });
  });

  it("treats an empty filter as no comparisons", () => {
    expect(parseFilter("")).toEqual([]);
    expect(parseFilter("   ")).toEqual([]);
    expect(parseFilter(undefined)).toEqual([]);
  });

  it("rejects OR, dangling AND, missing comparators, unterminated strings and bad lists", () => {
    expect(() => parseFilter("metrics.a > 1 OR metrics.b < 2")).toThrow("Invalid clause(s) in filter string: 'OR metrics.b < 2'");
    expect(() => parseFilter("metrics.a > 1 AND")).toThrow("Invalid clause(s) in filter string: 'AND'");
    expect(() => parseFilter("metrics.a 1")).toThrow(/Invalid comparison clause. Expected comparison found '1'/);
    expect(() => parseFilter("params.a = 'open")).toThrow(/unterminated/);
    expect(() => parseFilter("run_id IN ()")).toThrow("expected a non-empty list of string values, but got empty list");
    expect(() => parseFilter("run_id IN (1, 2)")).toThrow(/expected string value, punctuation, or whitespace/);
    expect(() => parseFilter("metrics. > 1")).toThrow(/Invalid identifier 'metrics.'/);
  });
});

describe("parseOrderBy", () => {
  it("reads an identifier and an optional direction", () => {
    expect(parseOrderBy("metrics.acc DESC")).toEqual({
      identifier: { entity: "metrics", key: "acc", text: "metrics.acc" },
      ascending: false,
    });
    expect(parseOrderBy("params.`a b`")).toMatchObject({ identifier: { key: "a b" }, ascending: true });
    expect(parseOrderBy("start_time asc")).toMatchObject({ identifier: { key: "start_time" }, ascending: true });
  });

  it("rejects other directions and trailing text", () => {
    expect(() => parseOrderBy("metrics.a sideways")).toThrow("Invalid ordering key in order_by clause 'metrics.a sideways'.");
    expect(() => parseOrderBy("metrics.a desc extra")).toThrow("Invalid order_by clause 'metrics.a desc extra'. Could not be parsed.");
    expect(() => parseOrderBy("'quoted'")).toThrow("Could not be parsed");
  });
});
