import { describe, expect, it } from "vitest";
import { inferenceConditions } from "@/lib/inference/filter";
import { logFilter } from "./select.server";

describe("a queue's filter as the inference log's", () => {
  it("takes only answered inferences unless errors are asked for", () => {
    expect(logFilter({}).status).toBe("ok");
    expect(logFilter({ includeErrors: true }).status).toBeUndefined();
    expect(inferenceConditions(logFilter({ includeErrors: true })).conditions).toEqual([]);
  });

  it("maps function, variant, times, tags and missing feedback", () => {
    const filter = logFilter({
      function: "chat",
      variant: "v1",
      from: "2026-10-01T00:00:00Z",
      to: "2026-10-01T00:00:10.5Z",
      tags: { user: "u1", env: "prod" },
      missingFeedback: "quality",
    });
    expect(filter).toEqual({
      status: "ok",
      functionName: "chat",
      variantName: "v1",
      from: Date.parse("2026-10-01T00:00:00Z"),
      to: Date.parse("2026-10-01T00:00:10.5Z"),
      tags: [
        { key: "user", value: "u1" },
        { key: "env", value: "prod" },
      ],
      missingFeedback: "quality",
    });
    // Millisecond bounds, as queues always used.
    expect(inferenceConditions(filter).params).toMatchObject({ from: "2026-10-01 00:00:00.000", to: "2026-10-01 00:00:10.500" });
  });
});
