import { describe, expect, it } from "vitest";
import { parseRunFilter, parseRunOrderBy } from "./run-filter";

describe("parseRunFilter", () => {
  it("binds MLflow's entity aliases to metrics, params, tags, attributes and datasets", () => {
    expect(
      parseRunFilter(
        "metric.a > 1 and parameters.p = 'x' and tag.t LIKE 'y%' and attr.status != 'FAILED' and created >= 10 and dataset.context = 'train'",
      ),
    ).toEqual([
      { kind: "metric", key: "a", op: ">", value: 1 },
      { kind: "param", key: "p", op: "=", value: "x" },
      { kind: "tag", key: "t", op: "LIKE", value: "y%" },
      { kind: "string_attribute", key: "status", op: "!=", value: "FAILED" },
      { kind: "numeric_attribute", key: "start_time", op: ">=", value: 10 },
      { kind: "dataset", key: "context", op: "=", value: "train" },
    ]);
  });

  it("maps run name aliases and run_id lists", () => {
    expect(parseRunFilter("attributes.`Run Name` = 'x' and run_id IN ('a', 'b') and attributes.run_id NOT IN ('c')")).toEqual([
      { kind: "string_attribute", key: "run_name", op: "=", value: "x" },
      { kind: "run_id_in", negate: false, values: ["a", "b"] },
      { kind: "run_id_in", negate: true, values: ["c"] },
    ]);
  });

  it("rejects what MLflow rejects, with its messages", () => {
    expect(() => parseRunFilter("foo.a = 'x'")).toThrow(
      "Invalid entity type 'foo'. Valid values are ['metric', 'parameter', 'tag', 'attribute', 'dataset']",
    );
    expect(() => parseRunFilter("metrics.a LIKE '1'")).toThrow("Invalid comparator 'LIKE' not one of '{'!=', '<', '<=', '=', '>', '>='}'");
    expect(() => parseRunFilter("metrics.a = 'x'")).toThrow("Expected numeric value type for metric. Found 'x'");
    expect(() => parseRunFilter("params.a > 'x'")).toThrow("Invalid comparator '>'");
    expect(() => parseRunFilter("params.a = 1")).toThrow("Expected a quoted string value for parameter (e.g. 'my-value'). Got value 1");
    expect(() => parseRunFilter("tags.a = x")).toThrow(
      "Parameter value is either not quoted or unidentified quote types used for string value x",
    );
    expect(() => parseRunFilter("attributes.nope = 'x'")).toThrow(/^Invalid attribute key 'nope' specified. Valid keys are/);
    expect(() => parseRunFilter("start_time > 'yesterday'")).toThrow(
      "Expected numeric value type for numeric attribute: start_time. Found 'yesterday'",
    );
    expect(() => parseRunFilter("status IN ('A')")).toThrow(
      "Only the 'run_id' attribute supports comparison with a list of quoted string values.",
    );
    expect(() => parseRunFilter("metrics.a == 1")).toThrow("Invalid comparator '=='");
    expect(() => parseRunFilter("datasets.size = 'x'")).toThrow("Invalid dataset key 'size' specified.");
  });
});

describe("parseRunOrderBy", () => {
  it("binds keys on every orderable entity", () => {
    expect(parseRunOrderBy(["metrics.acc DESC", "params.lr", "tags.t asc", "attributes.created", "experiment_id DESC"])).toEqual([
      { by: { kind: "metric", key: "acc" }, ascending: false },
      { by: { kind: "param", key: "lr" }, ascending: true },
      { by: { kind: "tag", key: "t" }, ascending: true },
      { by: { kind: "attribute", key: "start_time" }, ascending: true },
      { by: { kind: "attribute", key: "experiment_id" }, ascending: false },
    ]);
  });

  it("rejects duplicates, datasets and unknown attributes", () => {
    expect(() => parseRunOrderBy(["metrics.a", "metric.a DESC"])).toThrow(
      "`order_by` contains duplicate fields: ['metrics.a', 'metric.a DESC']",
    );
    expect(() => parseRunOrderBy(["datasets.name"])).toThrow("Invalid identifier type 'datasets'");
    expect(() => parseRunOrderBy(["lifecycle"])).toThrow(/^Invalid attribute key 'lifecycle' specified/);
  });
});
