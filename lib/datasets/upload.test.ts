import { describe, expect, it } from "vitest";
import { itemsFromPromptfooConfig } from "./promptfoo";
import { assertionFromText, buildItems, guessMapping, parseUpload } from "./upload";

describe("JSONL uploads", () => {
  it("maps vars, expected output, context, assertions and tags, and names each bad line", () => {
    const text = [
      JSON.stringify({
        vars: { q: "2+2?" },
        expected: "4",
        context: "Arithmetic.",
        assert: [{ type: "contains", value: "4" }],
        tags: { topic: "math" },
      }),
      "",
      "{not json",
      JSON.stringify([1, 2]),
      JSON.stringify({ expected: "an answer to no question" }),
      JSON.stringify({ input: { messages: [{ role: "user", content: "Hi" }] }, expected: "Hello", expected_output: "ignored" }),
    ].join("\n");
    const parsed = parseUpload("jsonl", text);
    const mapping = guessMapping("jsonl", parsed.columns);
    expect(mapping).toMatchObject({
      variables: ["vars"],
      expected_output: "expected_output",
      context: "context",
      assertions: "assert",
      tags: ["tags"],
    });
    // `expected` and `expected_output` are both present in the file; the more specific one wins.
    const { items, errors } = buildItems(parsed, { ...mapping, expected_output: "expected" });
    expect(items[0]).toEqual({
      input: { variables: { q: "2+2?" } },
      expected_output: "4",
      context: "Arithmetic.",
      assertions: [{ type: "contains", value: "4" }],
      tags: { topic: "math" },
    });
    expect(errors.map((e) => e.line)).toEqual([3, 4, 5]);
    expect(items[1]).toMatchObject({ input: { messages: [{ role: "user", content: "Hi" }] }, expected_output: "Hello" });
    expect(errors[0]!.message).toMatch(/not valid JSON/);
    expect(errors[1]!.message).toBe("each line must be a JSON object");
    expect(errors[2]!.message).toMatch(/input: an input needs variables or messages/);
  });
});

describe("CSV uploads", () => {
  it("turns unmapped columns into variables and reads promptfoo's __expected shorthand", () => {
    const csv = 'question,tone,expected_output,__expected\n"What is 2+2, really?",dry,4,contains: 4\nHi,warm,,not-icontains: sorry\n';
    const parsed = parseUpload("csv", csv);
    const mapping = guessMapping("csv", parsed.columns);
    expect(mapping.variables).toEqual(["question", "tone"]);
    const { items, errors } = buildItems(parsed, mapping);
    expect(errors).toEqual([]);
    expect(items).toEqual([
      {
        input: { variables: { question: "What is 2+2, really?", tone: "dry" } },
        expected_output: "4",
        assertions: [{ type: "contains", value: "4" }],
      },
      { input: { variables: { question: "Hi", tone: "warm" } }, assertions: [{ type: "not-icontains", value: "sorry" }] },
    ]);
  });

  it("reports rows with more fields than the header and an empty file", () => {
    expect(buildItems(parseUpload("csv", "a,b\n1,2\n1,2,3\n"), guessMapping("csv", ["a", "b"])).errors).toEqual([
      { line: 3, message: "3 fields but the header has 2" },
    ]);
    expect(parseUpload("csv", "").errors[0]!.message).toMatch(/header row/);
  });

  it("reads assertion shorthands as promptfoo does", () => {
    expect(assertionFromText("llm-rubric: is polite")).toEqual({ type: "llm-rubric", value: "is polite" });
    expect(assertionFromText("grade: is polite")).toEqual({ type: "llm-rubric", value: "is polite" });
    expect(assertionFromText("is-json")).toEqual({ type: "equals", value: "is-json" });
    expect(assertionFromText("is-json:")).toEqual({ type: "is-json", value: undefined });
    expect(assertionFromText("https://example.com")).toEqual({ type: "equals", value: "https://example.com" });
  });
});

describe("promptfoo config tests", () => {
  it("expands list vars, prepends defaultTest asserts and keeps vars.context as context", () => {
    const yaml = `
prompts: ["Answer {{q}}"]
defaultTest:
  assert:
    - type: latency
      threshold: 5000
tests:
  - description: capitals
    vars:
      q: [France, Spain]
      context: Paris is the capital of France.
    assert:
      - type: icontains
        value: paris
`;
    const { items, errors } = itemsFromPromptfooConfig(yaml);
    expect(errors).toEqual([]);
    expect(items).toHaveLength(2);
    expect(items[1]).toEqual({
      input: { variables: { q: "Spain", context: "Paris is the capital of France." } },
      context: "Paris is the capital of France.",
      assertions: [
        { type: "latency", threshold: 5000 },
        { type: "icontains", value: "paris" },
      ],
      tags: { description: "capitals" },
    });
  });

  it("refuses tests loaded from other files with a message saying what to do", () => {
    expect(() => itemsFromPromptfooConfig("tests: file://tests.csv")).toThrow(/upload that file/);
    expect(itemsFromPromptfooConfig("tests:\n  - file://more.yaml\n").errors[0]!.message).toMatch(/upload that file instead/);
    expect(() => itemsFromPromptfooConfig("prompts: []")).toThrow(/no `tests`/);
  });
});
