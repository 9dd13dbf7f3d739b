import { describe, expect, it } from "vitest";
import { parseConfig } from "./config";
import { costAt, costHeader, tablePrice } from "./pricing";

describe("prices", () => {
  it("finds bundled prices by upstream name, ignoring dates, -latest and a vendor prefix", () => {
    expect(tablePrice("gpt-4o-mini")).toEqual({ input: 0.15, output: 0.6, cached_input: 0.075 });
    expect(tablePrice("gpt-4o-2024-08-06")).toEqual(tablePrice("gpt-4o"));
    expect(tablePrice("claude-3-5-sonnet-20241022")).toEqual(tablePrice("claude-3-5-sonnet"));
    expect(tablePrice("openai/gpt-4.1-mini")).toEqual(tablePrice("gpt-4.1-mini"));
    expect(tablePrice("llama3.2")).toBeUndefined();
  });

  it("charges cached input at its own price, and prints the header without an exponent", () => {
    const price = { input: 2, output: 8, cached_input: 0.5 };
    expect(costAt(price, { input_tokens: 1000, output_tokens: 100, cached_input_tokens: 400 })).toBeCloseTo(
      (600 * 2 + 400 * 0.5 + 100 * 8) / 1e6,
      15,
    );
    expect(costAt({ input: 1, output: 1 }, { input_tokens: 10, output_tokens: 0, cached_input_tokens: 10 })).toBeCloseTo(10 / 1e6, 15);
    expect(costHeader(0.0000001)).toBe("0.0000001");
    expect(costHeader(0)).toBe("0");
  });

  it("resolves a model's price: the config's wins, else the table by its first route's model, else 0", () => {
    const config = parseConfig(`
[providers.p]
type = "dummy"
[models.fast]
routing = [{ provider = "p", model = "gpt-4o-mini-2024-07-18" }]
[models.mine]
routing = [{ provider = "p", model = "gpt-4o" }]
price = { input = 1, output = 2 }
[models.local]
routing = [{ provider = "p", model = "llama3" }]
`);
    expect(config.models.fast).toMatchObject({ price: tablePrice("gpt-4o-mini"), price_source: "table" });
    expect(config.models.mine).toMatchObject({ price: { input: 1, output: 2 }, price_source: "config" });
    expect(config.models.local).toMatchObject({ price: { input: 0, output: 0 }, price_source: "none" });
  });
});
