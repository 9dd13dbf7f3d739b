import { describe, expect, it } from "vitest";
import { parseRunFilter, parseRunOrderBy } from "@/lib/tracking/run-filter";
import { columnLabel, normaliseColumns, orderByFor, parseColumnId, quoteKey, quoteValue } from "./columns";

describe("runs table columns", () => {
  it("parses column ids and rejects unknown kinds and attributes", () => {
    expect(parseColumnId("metric:val loss")).toEqual({ kind: "metric", key: "val loss" });
    expect(parseColumnId("attr:start_time")).toEqual({ kind: "attr", key: "start_time" });
    expect(parseColumnId("attr:nope")).toBeUndefined();
    expect(parseColumnId("bogus:x")).toBeUndefined();
    expect(parseColumnId("metric:")).toBeUndefined();
  });

  it("maps sortable columns to order_by text the API's parser accepts", () => {
    const cases = ["attr:start_time", "attr:run_name", "metric:acc", "metric:val loss", "param:a.b", "tag:we`ird"];
    const orders = cases.map((c) => orderByFor(c, "desc"));
    expect(orders).toEqual([
      "attributes.start_time DESC",
      "attributes.run_name DESC",
      "metrics.acc DESC",
      "metrics.`val loss` DESC",
      "params.`a.b` DESC",
      'tags."we`ird" DESC',
    ]);
    expect(parseRunOrderBy(orders as string[]).map((o) => o.by)).toEqual([
      { kind: "attribute", key: "start_time" },
      { kind: "attribute", key: "run_name" },
      { kind: "metric", key: "acc" },
      { kind: "metric", key: "val loss" },
      { kind: "param", key: "a.b" },
      { kind: "tag", key: "we`ird" },
    ]);
    expect(orderByFor("attr:duration", "asc")).toBeUndefined();
    expect(quoteKey("plain_key1")).toBe("plain_key1");
  });

  it("quotes text values so the API's parser reads them back unchanged", () => {
    const value = "it's a 'dataset'";
    expect(quoteValue(value)).toBe("'it''s a ''dataset'''");
    expect(parseRunFilter(`params.name = ${quoteValue(value)}`)).toEqual([{ kind: "param", key: "name", op: "=", value }]);
  });

  it("normalises chosen columns and labels them", () => {
    expect(normaliseColumns(["metric:a", "attr:status", "metric:a", "junk", "param:b"])).toEqual(["metric:a", "param:b"]);
    expect(columnLabel("attr:start_time")).toBe("Started");
    expect(columnLabel("param:lr")).toBe("lr");
  });
});
