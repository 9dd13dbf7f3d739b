import { describe, expect, it } from "vitest";
import { formatPromptRef, parsePromptRef, templateVariables } from "./prompts";

describe("templateVariables", () => {
  it("finds {{ var }} names in order, once each, with MLflow's spacing and dotted paths", () => {
    expect(templateVariables("Hi {{name}}, {{ topic }} and {{name}} again; {{ user.city }}")).toEqual(["name", "topic", "user.city"]);
  });
  it("ignores single braces and invalid names", () => {
    expect(templateVariables("{name} {{ 1bad }} {{ok_1}}")).toEqual(["ok_1"]);
  });
});

describe("parsePromptRef", () => {
  it("reads versions and aliases, with or without the prompts:/ scheme", () => {
    expect(parsePromptRef("prompts:/summarize/3")).toEqual({ name: "summarize", version: 3 });
    expect(parsePromptRef("prompts:/qa.v2@production")).toEqual({ name: "qa.v2", alias: "production" });
    expect(parsePromptRef("qa@staging")).toEqual({ name: "qa", alias: "staging" });
  });
  it("reads prompts:/name without a version as the newest (MLflow's load_prompt(name)), as does @latest", () => {
    expect(parsePromptRef("prompts:/summarize")).toEqual({ name: "summarize", alias: "latest" });
    expect(() => parsePromptRef("summarize")).toThrow(/not a prompt reference/);
    expect(parsePromptRef("prompts:/summarize@latest")).toEqual({ name: "summarize", alias: "latest" });
  });
  it("round-trips through formatPromptRef", () => {
    for (const ref of ["prompts:/a-b/12", "prompts:/c@prod"]) expect(formatPromptRef(parsePromptRef(ref))).toBe(ref);
  });
  it("rejects malformed references with a message saying what to write", () => {
    for (const bad of ["prompts:/x/0", "prompts:/x/1.5", "prompts:/", "no spaces/1", "x@"]) {
      expect(() => parsePromptRef(bad)).toThrow(/write prompts:\/NAME\/VERSION, prompts:\/NAME@ALIAS or prompts:\/NAME/);
    }
  });
});
