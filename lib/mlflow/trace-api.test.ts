import { describe, expect, it } from "vitest";
import { TRACE_API, matchTracePath } from "./trace-api.server";
import * as t from "./trace-endpoints.server";
import * as v2 from "./trace-endpoints-v2.server";

describe("MLflow trace paths", () => {
  it("matches static paths before trace ids and reads path parameters", () => {
    expect(matchTracePath("3.0", "POST", "/traces/search")).toEqual({ endpoint: t.searchTracesV3, params: {} });
    expect(matchTracePath("3.0", "GET", "/traces/get")).toEqual({ endpoint: t.getTrace, params: {} });
    expect(matchTracePath("3.0", "GET", "/traces/tr-abc")).toEqual({ endpoint: t.getTraceInfoV3, params: { trace_id: "tr-abc" } });
    expect(matchTracePath("3.0", "PATCH", "/traces/tr-abc/assessments/a-1/")).toEqual({
      endpoint: t.updateAssessmentEndpoint,
      params: { trace_id: "tr-abc", assessment_id: "a-1" },
    });
    expect(matchTracePath("2.0", "PATCH", "/traces/tr-abc")).toEqual({ endpoint: v2.endTraceV2, params: { request_id: "tr-abc" } });
    expect(matchTracePath("2.0", "POST", "/traces/link-to-run")).toEqual({ endpoint: t.linkTracesToRunEndpoint, params: {} });
  });

  it("tells a wrong method from an unknown path", () => {
    expect(matchTracePath("3.0", "DELETE", "/traces/search")).toEqual({ allow: ["POST"] });
    // A static path owns its segments: GET /traces/search is a 405, not the trace id "search".
    expect(matchTracePath("3.0", "GET", "/traces/search")).toEqual({ allow: ["POST"] });
    expect(matchTracePath("3.0", "GET", "/traces/tr-abc/nothing")).toBeNull();
    expect(matchTracePath("2.0", "GET", "/traces/a/b/c")).toBeNull();
  });

  it("lists each pattern once per version", () => {
    for (const table of Object.values(TRACE_API)) {
      const patterns = table.map(([p]) => p);
      expect(new Set(patterns).size).toBe(patterns.length);
    }
  });
});
