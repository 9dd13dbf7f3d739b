import { describe, expect, it } from "vitest";
import { parseTraceId, parseTraceparent, traceHexToUuid } from "./ids";
import { formatDuration, formatTimestamp, parseDuration, parseTimestamp } from "./wire";
import { nanosToClickHouse } from "./tables";

describe("protobuf JSON times", () => {
  it("formats and parses Timestamps with 0, 3, 6 or 9 fractional digits", () => {
    expect(formatTimestamp(1_700_000_000_000_000_000n)).toBe("2023-11-14T22:13:20Z");
    expect(formatTimestamp(1_700_000_000_123_000_000n)).toBe("2023-11-14T22:13:20.123Z");
    expect(formatTimestamp(1_700_000_000_123_456_789n)).toBe("2023-11-14T22:13:20.123456789Z");
    expect(parseTimestamp("2023-11-14T22:13:20.123456789Z")).toBe(1_700_000_000_123_456_789n);
    expect(parseTimestamp("2023-11-14T23:13:20.5+01:00")).toBe(1_700_000_000_500_000_000n);
    expect(parseTimestamp("yesterday")).toBeNull();
  });

  it("formats and parses Durations", () => {
    expect(formatDuration(250_000_000n)).toBe("0.250s");
    expect(formatDuration(2_000_000_000n)).toBe("2s");
    expect(parseDuration("1.5s")).toBe(1_500_000_000n);
    expect(parseDuration("-0.000000001s")).toBe(-1n);
    expect(parseDuration("1.5")).toBeNull();
  });

  it("writes ClickHouse DateTime64(9) literals", () => {
    expect(nanosToClickHouse(1_700_000_000_123_456_789n)).toBe("2023-11-14 22:13:20.123456789");
  });
});

describe("ids", () => {
  it("accepts MLflow, hex and UUID spellings of a trace id", () => {
    const hex = "0af7651916cd43dd8448eb211c80319c";
    expect(parseTraceId(`tr-${hex}`)).toBe(hex);
    expect(parseTraceId(hex.toUpperCase())).toBe(hex);
    expect(parseTraceId(traceHexToUuid(hex))).toBe(hex);
    expect(parseTraceId("tr-123")).toBeNull();
    expect(parseTraceId("0".repeat(32))).toBeNull();
  });

  it("reads W3C traceparent headers", () => {
    expect(parseTraceparent("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")).toEqual({
      traceId: "0af7651916cd43dd8448eb211c80319c",
      spanId: "b7ad6b7169203331",
    });
    expect(parseTraceparent("00-00000000000000000000000000000000-b7ad6b7169203331-01")).toBeNull();
    expect(parseTraceparent("ff-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")).toBeNull();
    expect(parseTraceparent("garbage")).toBeNull();
    expect(parseTraceparent(undefined)).toBeNull();
  });
});
