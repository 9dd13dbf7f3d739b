import { describe, expect, it } from "vitest";
import { chooseBucket, MAX_POINTS, rangeFromQuery, rangeQuery, resolveRange, tagFilters } from "./range";

const H = 3_600_000;
const D = 24 * H;

describe("chooseBucket", () => {
  it("picks the smallest bucket that keeps a series within MAX_POINTS", () => {
    expect(chooseBucket(H).seconds).toBe(60);
    expect(chooseBucket(6 * H).seconds).toBe(60);
    expect(chooseBucket(24 * H).seconds).toBe(300);
    expect(chooseBucket(3 * D).seconds).toBe(900);
    expect(chooseBucket(7 * D).seconds).toBe(3600);
    expect(chooseBucket(30 * D).seconds).toBe(6 * 3600);
    expect(chooseBucket(200 * D).seconds).toBe(86_400);
  });
  it("never exceeds MAX_POINTS below a year", () => {
    for (const ms of [H, 7 * H, 25 * H, 4 * D, 15 * D, 61 * D, 300 * D])
      expect(ms / (chooseBucket(ms).seconds * 1000)).toBeLessThanOrEqual(MAX_POINTS);
  });
});

describe("resolveRange", () => {
  it("snaps outward to whole buckets and reads the hourly rollup for hour buckets", () => {
    const from = Date.parse("2026-11-20T10:17:30Z");
    const r = resolveRange(from, from + 7 * D);
    expect(r.bucket.seconds).toBe(3600);
    expect(new Date(r.from).toISOString()).toBe("2026-11-20T10:00:00.000Z");
    expect(new Date(r.to).toISOString()).toBe("2026-11-27T11:00:00.000Z");
    expect(r.rollup).toBe("1h");
    expect(resolveRange(from, from + H).rollup).toBe("1m");
  });
  it("rejects empty, reversed and over-long ranges", () => {
    expect(() => resolveRange(10, 10)).toThrow(/end after/);
    expect(() => resolveRange(0, 401 * D)).toThrow(/at most 400 days/);
  });
});

describe("rangeQuery", () => {
  it("reads presets and explicit ISO or epoch bounds", () => {
    const now = Date.parse("2026-11-23T12:00:00Z");
    const preset = rangeFromQuery(rangeQuery.parse({ range: "24h" }), now);
    expect(preset.to).toBe(now);
    expect(preset.from).toBe(now - D);
    const explicit = rangeQuery.parse({ from: "2026-11-01T00:00:00Z", to: String(Date.parse("2026-11-02T00:00:00Z")) });
    expect(rangeFromQuery(explicit)).toMatchObject({ from: Date.parse("2026-11-01T00:00:00Z"), to: Date.parse("2026-11-02T00:00:00Z") });
    expect(rangeFromQuery(rangeQuery.parse({}), now).from).toBe(now - 7 * D);
  });
  it("says what is wrong with bad bounds", () => {
    expect(rangeQuery.safeParse({ from: "2026-11-02T00:00:00Z" }).error?.issues[0]?.message).toMatch(/both `from` and `to`/);
    expect(rangeQuery.safeParse({ from: "2026-11-02T00:00:00Z", to: "2026-11-01T00:00:00Z" }).error?.issues[0]?.message).toMatch(
      /after `from`/,
    );
    expect(rangeQuery.safeParse({ range: "2y" }).success).toBe(false);
  });
});

describe("tagFilters", () => {
  it("splits key:value at the first colon and accepts one or many", () => {
    expect(tagFilters.parse("user:a:b")).toEqual([{ key: "user", value: "a:b" }]);
    expect(tagFilters.parse(["env:prod", "team:x"])).toEqual([
      { key: "env", value: "prod" },
      { key: "team", value: "x" },
    ]);
    expect(tagFilters.safeParse(":x").success).toBe(false);
  });
});
