import { describe, expect, it } from "vitest";
import { compileTraceFilter, compileTraceOrder } from "./search-filter";

describe("compileTraceFilter", () => {
  it("binds every value as a parameter", () => {
    const b = compileTraceFilter(
      "trace.status = 'OK' AND tags.topic LIKE 'a%' AND trace.timestamp_ms > 5 AND metadata.`mlflow.trace.user` = 'u'",
    );
    expect(b.conditions).toHaveLength(4);
    expect(b.conditions.join(" ")).not.toMatch(/'OK'|a%|'u'/);
    expect(Object.values(b.params)).toEqual(expect.arrayContaining(["OK", "topic", "a%", 5, "mlflow.trace.user", "u"]));
  });

  it("rejects unknown keys, entities, statuses and operators with MLflow-style messages", () => {
    expect(() => compileTraceFilter("trace.color = 'x'")).toThrow(/Invalid attribute key 'color'/);
    expect(() => compileTraceFilter("foo.bar = 'x'")).toThrow(/Invalid entity type 'foo'/);
    expect(() => compileTraceFilter("status = 'DONE'")).toThrow(/Invalid trace status 'DONE'/);
    expect(() => compileTraceFilter("trace.timestamp_ms LIKE 'x'")).toThrow(/Invalid comparator/);
    expect(() => compileTraceFilter("tags.k = 1")).toThrow(/quoted string/);
  });

  it("orders newest first by default with a stable tie-break", () => {
    expect(compileTraceOrder([])).toBe("t_start DESC, trace_id ASC");
    expect(compileTraceOrder(["execution_time_ms DESC", "timestamp_ms"])).toBe("t_latency_ms DESC, t_start ASC, trace_id ASC");
    expect(() => compileTraceOrder(["tags.x"])).toThrow(/Invalid order_by/);
  });
});
