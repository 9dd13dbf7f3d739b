import { describe, expect, it } from "vitest";
import { parseSearch } from "@/lib/url/search-params";
import { abApiUrl, functionPageState, functionReportApiUrl, functionsApiUrl, inferencePageState, inferencesApiUrl } from "./page-state";

describe("page state → API URL (the query key)", () => {
  it("gives equal URLs for equal states, whatever the order in the page URL", () => {
    const a = parseSearch(functionPageState, new URLSearchParams("tag=env:prod&range=24h&tag=user:u1"));
    const b = parseSearch(functionPageState, new URLSearchParams("range=24h&tag=env:prod&tag=user:u1&pct=p99"));
    expect(functionReportApiUrl("summarize", a)).toBe(functionReportApiUrl("summarize", b));
    expect(functionReportApiUrl("summarize", a)).toBe("/api/functions/summarize?range=24h&tag=env%3Aprod&tag=user%3Au1");
  });
  it("prefers explicit bounds over a preset, and encodes function names", () => {
    expect(functionsApiUrl({ range: "7d", from: 1, to: 2 })).toBe("/api/functions?from=1&to=2");
    expect(functionsApiUrl({})).toBe("/api/functions");
    expect(abApiUrl("llmops::model", { metric: "helpful" }, "csv")).toBe("/api/functions/llmops%3A%3Amodel/ab?format=csv&metric=helpful");
  });
  it("sends the feedback filter only with its metric, and the cursor only to the list", () => {
    const s = parseSearch(inferencePageState, new URLSearchParams("op=lte&value=0&cursor=abc&status=error"));
    expect(inferencesApiUrl(s)).toBe("/api/inferences?cursor=abc&status=error");
    const f = parseSearch(inferencePageState, new URLSearchParams("metric=helpful&op=lte&value=0&cursor=abc"));
    expect(inferencesApiUrl(f)).toBe("/api/inferences?cursor=abc&metric=helpful&op=lte&value=0");
    expect(inferencesApiUrl(f, "/api/inferences/facets")).toBe("/api/inferences/facets?metric=helpful&op=lte&value=0");
  });
});
