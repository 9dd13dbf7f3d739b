import { describe, expect, it } from "vitest";
import { foldUsage, type UsageCell } from "./usage";

const cell = (over: Partial<UsageCell>): UsageCell => ({
  day: "2026-12-01",
  model: "fast",
  fn: "summarize",
  variant: "concise",
  requests: 10,
  errors: 1,
  cacheHits: 2,
  inputTokens: 1000,
  outputTokens: 500,
  cost: 0.5,
  cachedInputTokens: 200,
  cachedOutputTokens: 100,
  ...over,
});

describe("foldUsage", () => {
  const cells = [cell({}), cell({ model: "smart", variant: "detailed", cost: 2 }), cell({ day: "2026-11-30", cost: 0.25 })];
  const price = (m: string) => (m === "fast" ? { input: 1, output: 2 } : undefined);

  it("groups by each dimension and keeps the total equal to the sum of the rows", () => {
    for (const by of ["model", "function", "variant", "day"] as const) {
      const { rows, total } = foldUsage(cells, by, price);
      expect(rows.reduce((a, r) => a + r.cost, 0)).toBeCloseTo(total.cost, 12);
      expect(rows.reduce((a, r) => a + r.requests, 0)).toBe(total.requests);
    }
    expect(foldUsage(cells, "model", price).rows.map((r) => [r.key, r.cost])).toEqual([
      ["smart", 2],
      ["fast", 0.75],
    ]);
    expect(foldUsage(cells, "day", price).rows.map((r) => r.key)).toEqual(["2026-11-30", "2026-12-01"]);
    expect(foldUsage(cells, "variant", price).rows.map((r) => r.key)).toEqual(["summarize / detailed", "summarize / concise"]);
  });

  it("prices cache hits at the model's price, and nothing for an unpriced model", () => {
    const { rows } = foldUsage(cells, "model", price);
    expect(rows.find((r) => r.key === "fast")!.cacheSavings).toBeCloseTo(2 * ((200 * 1 + 100 * 2) / 1e6), 12);
    expect(rows.find((r) => r.key === "smart")!.cacheSavings).toBe(0);
  });
});
