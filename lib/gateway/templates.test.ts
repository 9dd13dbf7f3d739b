import { describe, expect, it } from "vitest";
import { promptFromRegistry, promptToText, renderPrompt, renderTemplate } from "./templates";

describe("templates", () => {
  it("fills variables, dotted paths and JSON values", () => {
    expect(renderTemplate("Hi {{ name }}, {{user.city}} {{list}}", { name: "Ada", user: { city: "Oslo" }, list: [1, 2] })).toBe(
      "Hi Ada, Oslo [1,2]",
    );
  });

  it("names every missing variable in strict mode and leaves them empty otherwise", () => {
    expect(() => renderTemplate("{{a}} {{b}} {{a}}", {})).toThrow("missing template variables: a, b");
    expect(renderTemplate("x{{a}}y", {}, { strict: false })).toBe("xy");
  });

  it("renders a chat prompt and round-trips it through the registry's text", () => {
    const prompt = { system: "Be {{tone}}.", user: "{{q}}" };
    expect(renderPrompt(prompt, { tone: "kind", q: "why?" })).toEqual([
      { role: "system", content: "Be kind." },
      { role: "user", content: "why?" },
    ]);
    expect(promptFromRegistry(promptToText(prompt), "chat")).toEqual(prompt);
    expect(promptFromRegistry("Plain {{x}}", undefined)).toEqual({ user: "Plain {{x}}" });
  });
});
