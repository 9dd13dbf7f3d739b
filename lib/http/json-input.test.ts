import { describe, expect, it } from "vitest";
import { clip, clipMessage } from "./clip";
import { badTextOf, InputError, jsonContentTypeProblem, parseJsonInput, readRequestText, scanJson, toStorableText } from "./json-input";

const deep = (n: number) => "[".repeat(n) + "]".repeat(n);
const problemOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    if (error instanceof InputError) return { problem: error.problem, field: error.field, message: error.message };
    throw error;
  }
  return undefined;
};

describe("parseJsonInput", () => {
  it("refuses more than 64 levels before parsing, counting only brackets outside strings", () => {
    expect(parseJsonInput(deep(64))).toBeDefined();
    expect(problemOf(() => parseJsonInput(deep(65)))).toMatchObject({ problem: "too_deep", message: expect.stringMatching(/64 levels/) });
    expect(problemOf(() => parseJsonInput(deep(100_000)))).toMatchObject({ problem: "too_deep" });
    expect(parseJsonInput(JSON.stringify({ s: "[".repeat(1000) + '\\"{' }))).toEqual({ s: "[".repeat(1000) + '\\"{' });
  });

  it("names the field holding NUL or a lone surrogate, in keys too", () => {
    expect(problemOf(() => parseJsonInput('{"tags":[{"value":"a\\u0000"}]}'))).toMatchObject({
      problem: "bad_text",
      field: "tags[0].value",
      message: expect.stringMatching(/^tags\[0\]\.value: contains a NUL character/),
    });
    expect(problemOf(() => parseJsonInput('{"a":{"\\ud800":1}}'))).toMatchObject({
      field: "a",
      message: expect.stringMatching(/a key contains a lone/),
    });
    expect(problemOf(() => parseJsonInput('"\\udfff"'))).toMatchObject({ problem: "bad_text", field: undefined });
  });

  it("keeps surrogate pairs, escaped or not, and replaces bad text in free-text fields", () => {
    expect(parseJsonInput('{"e":"\\ud83d\\ude00 😀"}')).toEqual({ e: "😀 😀" });
    const freeText = (path: readonly (string | number)[]) => path[0] === "content";
    expect(parseJsonInput('{"content":"a\\u0000b\\ud800"}', { freeText })).toEqual({ content: "a\ufffdb\ufffd" });
    expect(problemOf(() => parseJsonInput('{"name":"a\\u0000b"}', { freeText }))).toMatchObject({ field: "name" });
  });

  it("says what is wrong with empty and malformed bodies", () => {
    expect(problemOf(() => parseJsonInput(" \n"))).toMatchObject({ problem: "empty" });
    expect(problemOf(() => parseJsonInput("{nope"))).toMatchObject({
      problem: "invalid_json",
      message: expect.stringMatching(/^not valid JSON: /),
    });
  });
});

describe("text the stores cannot hold", () => {
  it("finds NUL and lone surrogates only", () => {
    expect(badTextOf("plain é 😀")).toBeUndefined();
    expect(badTextOf("a\u0000")).toMatch(/NUL/);
    expect(badTextOf("\ud800x")).toMatch(/surrogate/);
    expect(badTextOf("x\udc00")).toMatch(/surrogate/);
    expect(toStorableText("\u0000😀\udc00")).toBe("\ufffd😀\ufffd");
    expect(scanJson('"\\u0000"').suspicious).toBe(true);
    expect(scanJson('"\\u0041 \\ud7ff"').suspicious).toBe(false);
  });
});

describe("readRequestText", () => {
  it("refuses a body over the limit, declared or streamed", async () => {
    const big = new Request("http://x/", { method: "POST", body: "x".repeat(100) });
    await expect(readRequestText(big, 10)).rejects.toMatchObject({ problem: "too_large" });
    const stream = new ReadableStream({
      start(c) {
        for (let i = 0; i < 10; i++) c.enqueue(new TextEncoder().encode("x".repeat(10)));
        c.close();
      },
    });
    const chunked = new Request("http://x/", { method: "POST", body: stream, duplex: "half" } as RequestInit);
    await expect(readRequestText(chunked, 50)).rejects.toMatchObject({ problem: "too_large" });
    expect(await readRequestText(new Request("http://x/", { method: "POST", body: "héllo" }), 10)).toBe("héllo");
  });
});

describe("clip", () => {
  it("quotes at most 250 characters of a value and never splits a surrogate pair", () => {
    expect(clip("short")).toBe("short");
    expect(clip("n".repeat(300_000))).toBe(`${"n".repeat(250)}… (299,750 more characters)`);
    expect(clip("a" + "😀".repeat(10), 4)).toBe("a😀… (18 more characters)");
    const message = clipMessage(`Registered Model with name=${"n".repeat(300_000)} not found`);
    expect(message.length).toBeLessThan(400);
    expect(message).toMatch(/^Registered Model with name=n+… \(\d[\d,]* more characters\) not found$/);
  });
});

describe("jsonContentTypeProblem", () => {
  it.each(["application/json", "application/json; charset=utf-8", "Application/JSON;charset=UTF-8", " application/json "])(
    "accepts %j",
    (type) => {
      expect(jsonContentTypeProblem(type, true)).toBeUndefined();
    },
  );

  it.each([
    "text/plain;charset=json",
    "text/plain",
    "application/jsonx",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x",
    "application/problem+json",
    "json",
  ])("refuses %j (what a cross-site form or no-cors fetch can send, or not JSON's media type)", (type) => {
    expect(jsonContentTypeProblem(type, true)).toMatch(/expected content-type: application\/json, got/);
    expect(jsonContentTypeProblem(type, false)).toBeDefined();
  });

  it("accepts a missing content type only without a body", () => {
    expect(jsonContentTypeProblem(undefined, false)).toBeUndefined();
    expect(jsonContentTypeProblem(null, false)).toBeUndefined();
    expect(jsonContentTypeProblem("", true)).toMatch(/has a body but no content-type/);
    expect(jsonContentTypeProblem(undefined, true)).toMatch(/has a body but no content-type/);
  });
});
