import { describe, expect, it } from "vitest";
import { z } from "zod";
import { parseSearch, patchSearch } from "./search-params";

const schema = z.object({
  q: z.string().default(""),
  page: z.coerce.number().int().min(1).default(1),
  sort: z.enum(["name", "time"]).default("time"),
  cols: z
    .union([z.string(), z.array(z.string())])
    .transform((v) => (Array.isArray(v) ? v : [v]))
    .default([]),
});

describe("parseSearch", () => {
  it("reads values, repeated keys as arrays, and defaults", () => {
    const state = parseSearch(schema, new URLSearchParams("q=loss&page=3&cols=a&cols=b"));
    expect(state).toEqual({ q: "loss", page: 3, sort: "time", cols: ["a", "b"] });
  });
  it("accepts Next's searchParams record", () => {
    expect(parseSearch(schema, { q: "x", cols: ["m1"], sort: undefined })).toEqual({ q: "x", page: 1, sort: "time", cols: ["m1"] });
  });
  it("resets only the keys that do not parse", () => {
    expect(parseSearch(schema, new URLSearchParams("q=ok&page=-4&sort=bogus"))).toEqual({ q: "ok", page: 1, sort: "time", cols: [] });
  });
});

describe("patchSearch", () => {
  it("sets, repeats, removes and sorts keys", () => {
    expect(patchSearch("page=2&q=a&z=1", { q: "b", page: null, cols: ["x", "y"] })).toBe("cols=x&cols=y&q=b&z=1");
    expect(patchSearch("q=a", { q: "" })).toBe("");
    expect(patchSearch("", { flag: true, n: 0 })).toBe("flag=true&n=0");
  });
});
