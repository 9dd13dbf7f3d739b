import { describe, expect, it } from "vitest";
import { formatBytes, formatDuration, formatMetric, formatTime, runDuration } from "./format";

describe("format", () => {
  it("formats times in UTC and durations at a readable grain", () => {
    expect(formatTime(Date.UTC(2026, 10, 23, 9, 5))).toBe("2026-11-23 09:05");
    expect(formatTime(null)).toBe("—");
    expect(formatDuration(850)).toBe("850 ms");
    expect(formatDuration(12_345)).toBe("12.3 s");
    expect(formatDuration(245_000)).toBe("4 min 05 s");
    expect(formatDuration(7_380_000)).toBe("2 h 03 min");
    expect(formatDuration(3 * 86_400_000 + 4 * 3_600_000)).toBe("3 d 4 h");
    expect(runDuration({ startTime: 0, endTime: null, status: "RUNNING" })).toBe("running");
  });
  it("formats metrics including MLflow's special values", () => {
    expect(formatMetric(0.912345)).toBe("0.9123");
    expect(formatMetric("NaN")).toBe("NaN");
    expect(formatMetric("-Infinity")).toBe("−∞");
    expect(formatMetric(undefined)).toBe("—");
  });
});

describe("formatBytes", () => {
  it("reads bytes in powers of 1024", () => {
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(1536)).toBe("1.5 KB");
    expect(formatBytes(100 * 1024 * 1024)).toBe("100 MB");
  });
});
