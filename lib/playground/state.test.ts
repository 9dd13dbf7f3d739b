import { describe, expect, it } from "vitest";
import { decodeTarget, encodeTarget, itemVariables, promptName, promptVersionNumber } from "./state";

describe("playground URL state", () => {
  it("round-trips variant and prompt targets", () => {
    for (const t of [{ variant: "concise" }, { prompt: "summarize.concise/3" }, { prompt: "p@staging", base: "detailed" }]) {
      expect(decodeTarget(encodeTarget(t))).toEqual(t);
    }
    expect(decodeTarget("")).toBeUndefined();
    expect(decodeTarget("variant:")).toBeUndefined();
    expect(decodeTarget("nonsense")).toBeUndefined();
  });

  it("reads a prompt reference's name and version", () => {
    expect(promptName("summarize.concise/3")).toBe("summarize.concise");
    expect(promptName("prompts:/greet@production")).toBe("greet");
    expect(promptName("greet")).toBe("greet");
    expect(promptVersionNumber("greet/12")).toBe(12);
    expect(promptVersionNumber("greet@prod")).toBeUndefined();
  });

  it("turns a dataset item's input into form values", () => {
    expect(itemVariables(JSON.stringify({ variables: { ticket: "hi", n: 3 } }))).toEqual({ ticket: "hi", n: "3" });
    expect(itemVariables("not json")).toEqual({});
  });
});
