import { describe, expect, it } from "vitest";
import { contentText, parseInput, parseOutput, prettyJson } from "./inference-view";

describe("inference display", () => {
  it("reads messages, keeps markup as text, and sets the other input fields aside", () => {
    const parsed = parseInput(
      JSON.stringify({
        messages: [
          { role: "system", content: "Be brief" },
          { role: "user", content: "<script>alert(1)</script>" },
        ],
        variables: { topic: "x" },
      }),
    );
    expect(parsed?.messages).toEqual([
      { role: "system", text: "Be brief" },
      { role: "user", text: "<script>alert(1)</script>" },
    ]);
    expect(JSON.parse(parsed?.extra ?? "")).toEqual({ variables: { topic: "x" } });
  });
  it("flattens content parts and notes non-text parts", () => {
    expect(
      contentText([
        { type: "text", text: "look" },
        { type: "image_url", image_url: { url: "u" } },
      ]),
    ).toBe("look\n[image_url]");
  });
  it("reads output content, tool calls and finish reason, or gives up on non-JSON", () => {
    expect(parseOutput(JSON.stringify({ content: null, tool_calls: [{ id: "1" }], finish_reason: "tool_calls" }))).toEqual({
      text: "",
      toolCalls: JSON.stringify([{ id: "1" }], null, 2),
      finishReason: "tool_calls",
    });
    expect(parseOutput("not json")).toBeUndefined();
    expect(parseInput("[1]")).toBeUndefined();
  });
  it("keeps variables-only inputs (function calls) as the extra part", () => {
    expect(parseInput('{"variables":{"customer":"Ada"}}')).toEqual({
      messages: [],
      extra: '{\n  "variables": {\n    "customer": "Ada"\n  }\n}',
    });
  });
  it("pretty-prints JSON and leaves other text alone", () => {
    expect(prettyJson('{"a":1}')).toBe('{\n  "a": 1\n}');
    expect(prettyJson("plain")).toBe("plain");
  });
});
