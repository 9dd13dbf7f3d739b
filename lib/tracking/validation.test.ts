import { describe, expect, it } from "vitest";
import {
  parseExperimentId,
  posixNormpath,
  validateBatchLimits,
  validateBatchRequestSize,
  validateMetric,
  validateParam,
  validateParamKeysUnique,
  validateRunId,
  validateTag,
} from "./validation";

describe("posixNormpath", () => {
  it("matches Python's posixpath.normpath", () => {
    expect(posixNormpath("a/./b/../c")).toBe("a/c");
    expect(posixNormpath("../x")).toBe("../x");
    expect(posixNormpath("/a//b/")).toBe("/a/b");
    expect(posixNormpath("//a")).toBe("//a");
    expect(posixNormpath("")).toBe(".");
  });
});

describe("names and lengths", () => {
  it("accepts MLflow's name characters, unicode letters included", () => {
    for (const key of ["loss", "val/loss", "a.b-c d_e", "précision"])
      expect(() => validateMetric({ key, value: 1, timestamp: 0, step: 0 })).not.toThrow();
  });

  it("rejects bad characters and names that would alias another file", () => {
    expect(() => validateParam({ key: "a:b", value: "1" })).toThrow(
      "Invalid parameter name: 'a:b'. Names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), and slashes (/).",
    );
    expect(() => validateTag({ key: "a/../b", value: "" })).toThrow(
      "Invalid tag name: 'a/../b'. Names may be treated as files in certain cases",
    );
    expect(() => validateMetric({ key: "/abs", value: 1, timestamp: 0, step: 0 })).toThrow("This name would resolve to '/abs'");
  });

  it("rejects over-long keys and truncates over-long param and tag values, as MLflow 3 does", () => {
    expect(validateParam({ key: "k", value: "x".repeat(6000) }).value).toHaveLength(6000);
    expect(validateParam({ key: "k", value: "x".repeat(6001) })).toEqual({ key: "k", value: "x".repeat(6000) });
    expect(() => validateTag({ key: "k".repeat(251), value: "" })).toThrow("had length 251, which exceeded length limit of 250");
    expect(validateTag({ key: "k", value: "v".repeat(8001) })).toEqual({ key: "k", value: "v".repeat(8000) });
    // Python counts code points, so an emoji is one character, not two, and is never cut in half.
    expect(validateParam({ key: "k", value: "😀".repeat(6000) }).value).toBe("😀".repeat(6000));
    expect(validateParam({ key: "k", value: "😀".repeat(6001) }).value).toBe("😀".repeat(6000));
  });

  it("rejects negative timestamps", () => {
    expect(() => validateMetric({ key: "m", value: 1, timestamp: -1, step: 0 })).toThrow(
      "Got invalid timestamp -1 for metric 'm' (value=1). Timestamp must be a nonnegative long (64-bit integer) ",
    );
  });
});

describe("batches", () => {
  it("enforces 1000 metrics, 100 params, 100 tags and 1000 entities", () => {
    expect(() => validateBatchLimits(1000, 0, 0)).not.toThrow();
    expect(() => validateBatchLimits(1001, 0, 0)).toThrow(
      "A batch logging request can contain at most 1000 metrics. Got 1001 metrics. Please split up metrics across multiple requests and try again.",
    );
    expect(() => validateBatchLimits(0, 101, 0)).toThrow("at most 100 params. Got 101 params.");
    expect(() => validateBatchLimits(0, 0, 101)).toThrow("at most 100 tags. Got 101 tags.");
    expect(() => validateBatchLimits(900, 50, 51)).toThrow("at most 1000 metrics, params, and tags. Got 1001 metrics, params, and tags.");
    expect(() => validateBatchRequestSize(1_000_001)).toThrow(
      "Batched logging API requests must be at most 1000000 bytes, got a request of size 1000001.",
    );
  });

  it("rejects duplicate param keys in one batch", () => {
    expect(() =>
      validateParamKeysUnique([
        { key: "a", value: "1" },
        { key: "a", value: "2" },
      ]),
    ).toThrow(
      "Duplicate parameter keys have been submitted: ['a']. Please ensure the request contains only one param value per param key.",
    );
  });
});

describe("ids", () => {
  it("checks run and experiment ids", () => {
    expect(() => validateRunId("0af1")).not.toThrow();
    expect(() => validateRunId("../x")).toThrow("Invalid run ID: '../x'");
    expect(parseExperimentId("42")).toBe(42);
    expect(() => parseExperimentId("abc")).toThrow("Invalid experiment ID: 'abc'");
  });
});
