import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig, promptSource } from "./config";

const BASE = `
[providers.p]
type = "dummy"

[models.m]
routing = [{ provider = "p" }]

[functions.f.variants.a]
model = "m"
user = "Hi {{name}}"
`;

const errorOf = (text: string) => {
  try {
    parseConfig(text, "llmops.toml");
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error("expected a ConfigError");
};

describe("parseConfig", () => {
  it("parses the repository's demo config", () => {
    const config = parseConfig(readFileSync("llmops.toml", "utf8"));
    expect(Object.keys(config.functions)).toEqual(["summarize", "reply"]);
    expect(config.models.smart!.routing.map((r) => r.provider)).toEqual(["dummy-smart", "dummy-backup"]);
    expect(config.metrics.resolved).toMatchObject({ type: "boolean", level: "episode", optimize: "max" });
    expect(Object.values(config.providers).every((p) => p.type === "dummy")).toBe(true);
  });

  it('takes api = "responses" on an openai provider (default chat), not on an anthropic one', () => {
    const provider = (type: string, api: string) =>
      `[providers.up]\ntype = "${type}"\nbase_url = "http://127.0.0.1:1/v1"\n${api}\n[models.m]\nrouting = [{ provider = "up" }]\n`;
    expect(parseConfig(provider("openai", 'api = "responses"')).providers.up).toMatchObject({ api: "responses" });
    expect(parseConfig(provider("openai", "")).providers.up).toMatchObject({ api: "chat" });
    expect(errorOf(provider("openai", 'api = "completions"'))).toContain("providers.up.api");
    expect(errorOf(provider("anthropic", 'api = "responses"'))).toContain("api");
  });

  it("fills defaults", () => {
    const config = parseConfig(BASE);
    expect(config.functions.f!.variants.a!.weight).toBe(1);
    expect(config.functions.f!.cache).toEqual({ enabled: false, ttl_s: 3600 });
    expect(config.recorder).toEqual({
      enabled: true,
      batch_size: 5000,
      flush_ms: 1000,
      max_buffered_rows: 100_000,
      max_buffered_bytes: 1 << 30,
      spool: true,
      fsync_ms: 200,
    });
    expect(config.models.m!.price).toEqual({ input: 0, output: 0 });
    expect(config.models.m!.price_source).toBe("none");
  });

  it("names the line and column of a TOML syntax error", () => {
    expect(errorOf("[providers.p]\ntype = \n")).toMatch(/^llmops\.toml:2:\d+: /);
  });

  it("names the field path of each invalid value", () => {
    const message = errorOf(BASE.replace('user = "Hi {{name}}"', 'user = "Hi"\nweight = -1\ntemprature = 0.3'));
    expect(message).toContain("functions.f.variants.a.weight: Too small");
    expect(message).toContain('functions.f.variants.a: Unrecognized key: "temprature"');
  });

  it("checks references between sections", () => {
    expect(errorOf(BASE.replace('provider = "p"', 'provider = "q"'))).toContain('models.m.routing[0].provider: unknown provider "q"');
    expect(errorOf(BASE.replace('model = "m"', 'model = "n"'))).toContain('functions.f.variants.a.model: unknown model "n"');
    expect(errorOf(BASE.replace('user = "Hi {{name}}"', 'user = "x"\nweight = 0'))).toContain(
      "functions.f.variants: at least one variant needs a weight above 0",
    );
    expect(errorOf(BASE.replace('user = "Hi {{name}}"', 'prompt = "nope"'))).toContain("functions.f.variants.a.prompt:");
    expect(errorOf(BASE.replace('user = "Hi {{name}}"', 'user = "x"\nprompt = "prompts:/p@prod"'))).toContain("not both");
    expect(errorOf(`${BASE}\n[metrics.comment]\ntype = "float"\n`)).toContain('metrics.comment: "comment" is reserved');
    expect(errorOf(`${BASE}\n[metrics.x]\ntype = "int"\n`)).toContain("metrics.x.type:");
    expect(errorOf(BASE.replace('type = "dummy"', 'type = "openai"\nbase_url = "nope"'))).toContain("providers.p.base_url:");
    expect(errorOf(BASE.replace('type = "dummy"', 'type = "openai"\nbase_url = "http://x"\napi_key = "sk-123"'))).toContain(
      'providers.p: Unrecognized key: "api_key"',
    );
  });

  it("tells where a variant's prompt comes from", () => {
    const config = parseConfig(
      BASE.replace(
        "[functions.f.variants.a]",
        '[functions.f.variants.b]\nmodel = "m"\nprompt = "prompts:/shared@production"\n\n[functions.f.variants.a]',
      ),
    );
    expect(promptSource("f", "a", config.functions.f!.variants.a!)).toEqual({
      kind: "inline",
      name: "f.a",
      user: "Hi {{name}}",
      system: undefined,
    });
    expect(promptSource("f", "b", config.functions.f!.variants.b!)).toEqual({ kind: "ref", ref: { name: "shared", alias: "production" } });
  });
});

describe("function evaluators", () => {
  it("accepts promptfoo-named evaluators and names the field at fault otherwise", () => {
    const base = `[providers.d]\ntype = "dummy"\n[models.m]\nrouting = [{ provider = "d" }]\n[functions.f.variants.v]\nmodel = "m"\n`;
    const config = parseConfig(`${base}[functions.f.evaluators.mentions_paris]\ntype = "icontains"\nvalue = "paris"\n`);
    expect(config.functions.f!.evaluators.mentions_paris).toEqual({ type: "icontains", value: "paris", weight: 1 });
    expect(() => parseConfig(`${base}[functions.f.evaluators.x]\ntype = "python"\n`)).toThrow(
      /functions\.f\.evaluators\.x\.type: "python" runs code/,
    );
  });
});
