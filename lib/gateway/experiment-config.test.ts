import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "./config";

const BASE = `
[providers.p]
type = "dummy"

[models.m]
routing = [{ provider = "p" }]

[functions.f.variants.a]
model = "m"
[functions.f.variants.b]
model = "m"
[functions.f.variants.c]
model = "m"
weight = 0

[metrics.helpful]
type = "boolean"
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

describe("experiment settings in llmops.toml", () => {
  it("reads a metric's mde as absolute or relative", () => {
    expect(parseConfig(BASE.replace('type = "boolean"', 'type = "boolean"\nmde = 0.02')).metrics.helpful!.mde).toEqual({
      value: 0.02,
      relative: false,
    });
    expect(parseConfig(BASE.replace('type = "boolean"', 'type = "boolean"\nmde = "2.5%"')).metrics.helpful!.mde).toEqual({
      value: 0.025,
      relative: true,
    });
    expect(errorOf(BASE.replace('type = "boolean"', 'type = "boolean"\nmde = "five"'))).toMatch(
      /metrics\.helpful\.mde: .*a relative mde is written as a percentage/,
    );
    expect(errorOf(BASE.replace('type = "boolean"', 'type = "boolean"\nmde = -1'))).toMatch(/metrics\.helpful\.mde/);
  });

  it("reads a design per function and metric, with its start day as a string or a TOML date", () => {
    const config = parseConfig(`${BASE}
[functions.f.experiments.helpful]
design = "planned"
looks = 30
start = 2026-12-01
`);
    expect(config.functions.f!.experiments.helpful).toEqual({ design: "planned", looks: 30, start: Date.parse("2026-12-01T00:00:00Z") });
    const quoted = parseConfig(`${BASE}\n[functions.f.experiments.helpful]\nstart = "2026-12-02"\n`);
    expect(quoted.functions.f!.experiments.helpful).toEqual({ design: "open", start: Date.parse("2026-12-02T00:00:00Z") });
    expect(parseConfig(BASE).functions.f!.experiments).toEqual({});
  });

  it("says what is wrong with a design", () => {
    expect(errorOf(`${BASE}\n[functions.f.experiments.helpful]\ndesign = "planned"\n`)).toMatch(
      /functions\.f\.experiments\.helpful\.looks: a planned design needs `looks`/,
    );
    expect(errorOf(`${BASE}\n[functions.f.experiments.nope]\ndesign = "open"\n`)).toMatch(
      /functions\.f\.experiments\.nope: unknown metric "nope"/,
    );
    expect(errorOf(`${BASE}\n[functions.f.experiments.helpful]\nstart = "12/01/2026"\n`)).toMatch(/a day is written "YYYY-MM-DD"/);
  });

  it("reads adaptive allocation with defaults, and checks its metric and floor", () => {
    const config = parseConfig(`${BASE}\n[functions.f.adaptive]\nmetric = "helpful"\n`);
    expect(config.functions.f!.adaptive).toEqual({ metric: "helpful", floor: 0.05, min_samples: 100, window_days: 14, epsilon: 0 });
    expect(errorOf(`${BASE}\n[functions.f.adaptive]\nmetric = "nope"\n`)).toMatch(/functions\.f\.adaptive\.metric: unknown metric "nope"/);
    // Two variants are drawn (c has weight 0): a floor of 0.5 each is all the traffic, 0.6 is more.
    expect(parseConfig(`${BASE}\n[functions.f.adaptive]\nmetric = "helpful"\nfloor = 0.5\n`).functions.f!.adaptive?.floor).toBe(0.5);
    expect(errorOf(`${BASE}\n[functions.f.adaptive]\nmetric = "helpful"\nfloor = 0.6\n`)).toMatch(/functions\.f\.adaptive\.floor/);
    const three = BASE.replace("weight = 0", "weight = 1");
    expect(errorOf(`${three}\n[functions.f.adaptive]\nmetric = "helpful"\nfloor = 0.4\n`)).toMatch(
      /functions\.f\.adaptive\.floor: a floor of 0\.4 for 3 variants is more than all the traffic/,
    );
  });
});
