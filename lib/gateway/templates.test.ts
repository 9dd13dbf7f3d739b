import { describe, expect, it } from "vitest";
import { promptFromRegistry, promptMessages, promptToText, renderPrompt, renderTemplate, templateVariables } from "./templates";

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

describe("promptMessages: templated and plain clients", () => {
  const user = { role: "user" as const, content: "Summarise: printer on fire" };
  it("renders the templates when variables are given, then the caller's messages", () => {
    const prompt = { system: "Be {{tone}}.", user: "{{q}}" };
    expect(promptMessages(prompt, { tone: "kind", q: "why?" }, [])).toEqual([
      { role: "system", content: "Be kind." },
      { role: "user", content: "why?" },
    ]);
    expect(() => promptMessages(prompt, {}, [])).toThrow("missing template variable: tone");
  });

  it("uses a plain client's messages as they are, after the templates that need no variables", () => {
    expect(templateVariables("Ticket from {{customer}}: {{ ticket }} {{customer}} {{a.b}}")).toEqual(["customer", "ticket", "a.b"]);
    expect(promptMessages({ system: "You summarise tickets.", user: "Ticket: {{ticket}}" }, undefined, [user])).toEqual([
      { role: "system", content: "You summarise tickets." },
      user,
    ]);
    expect(promptMessages({ system: "Be {{tone}}.", user: "Ticket: {{ticket}}" }, {}, [user])).toEqual([user]);
    expect(promptMessages({ system: "Fixed.", user: "Always this." }, undefined, [user])).toEqual([
      { role: "system", content: "Fixed." },
      { role: "user", content: "Always this." },
      user,
    ]);
    expect(promptMessages(undefined, undefined, [user])).toEqual([user]);
  });
});
