import { describe, expect, it } from "vitest";
import { z } from "zod";
import { describeRequestIssue, double, int64, protoEnum, pythonJson, repeated, requiredStr } from "./fields";

const message = (schema: z.ZodType, raw: unknown) => {
  const result = schema.safeParse(raw);
  if (result.success) throw new Error("expected a failure");
  const [issue] = result.error.issues;
  if (!issue) throw new Error("no issue");
  return describeRequestIssue(issue, raw);
};

describe("request fields", () => {
  it("read int64 from numbers and numeric strings", () => {
    expect(int64.parse(5)).toBe(5);
    expect(int64.parse("1700000000000")).toBe(1700000000000);
    expect(int64.safeParse("1.5").success).toBe(false);
    expect(int64.safeParse("99999999999999999999").success).toBe(false);
  });

  it("read doubles, NaN and infinities as protobuf's JSON parser does", () => {
    expect(double.parse(0.25)).toBe(0.25);
    expect(double.parse("0.25")).toBe(0.25);
    expect(double.parse("NaN")).toBeNaN();
    expect(double.parse("Infinity")).toBe(Number.POSITIVE_INFINITY);
    expect(double.parse("-Infinity")).toBe(Number.NEGATIVE_INFINITY);
    expect(double.safeParse("nan").success).toBe(false);
  });

  it("read enums by name or number", () => {
    const status = protoEnum(["RUNNING", "FINISHED"] as const, { 1: "RUNNING", 3: "FINISHED" });
    expect(status.parse("FINISHED")).toBe("FINISHED");
    expect(status.parse(3)).toBe("FINISHED");
    expect(status.parse("1")).toBe("RUNNING");
    expect(status.safeParse("DONE").success).toBe(false);
  });

  it("explain failures in MLflow's words", () => {
    const schema = z.object({ name: requiredStr, start_time: int64.optional(), tags: repeated(z.object({ key: requiredStr })) });
    expect(message(schema, {})).toBe(
      "Missing value for required parameter 'name'. See the API docs for more information about request parameters.",
    );
    expect(message(schema, { name: "" })).toMatch(/^Missing value for required parameter 'name'\./);
    expect(message(schema, { name: 5 })).toBe(
      "Invalid value 5 for parameter 'name' supplied. Hint: Value was of type 'int'. See the API docs for more information about request parameters.",
    );
    expect(message(schema, { name: "x", start_time: "soon" })).toMatch(
      /^Invalid value "soon" for parameter 'start_time' supplied. Hint: Value was of type 'str'\./,
    );
    expect(message(schema, { name: "x", tags: [{}] })).toMatch(/^Missing value for required parameter 'tags\[0\]\.key'\./);
    expect(message(schema, { name: "x", tags: { a: 1 } })).toMatch(
      /^Invalid value \{"a": 1\} for parameter 'tags' supplied. Hint: Value was of type 'dict'\./,
    );
  });

  it("render JSON the way Python's json.dumps does", () => {
    expect(pythonJson({ a: [1, "b"] })).toBe('{"a": [1, "b"]}');
    expect(pythonJson(undefined)).toBe("null");
  });
});
