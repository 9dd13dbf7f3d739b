import { describe, expect, it } from "vitest";
import { createPageToken, pageOf, parsePageToken } from "./page-token";

describe("page tokens", () => {
  it('round-trip MLflow\'s base64 {"offset": N} format', () => {
    const token = createPageToken(300);
    expect(Buffer.from(token, "base64").toString()).toBe('{"offset":300}');
    expect(parsePageToken(token)).toBe(300);
    expect(parsePageToken("eyJvZmZzZXQiOiAxMH0=")).toBe(10); // made by MLflow's Python server: {"offset": 10}
    expect(parsePageToken(undefined)).toBe(0);
  });

  it("reject tokens that are not base64, JSON, or an offset", () => {
    expect(() => parsePageToken("not a token!")).toThrow("Invalid page token, could not base64-decode");
    expect(() => parsePageToken(Buffer.from("nope").toString("base64"))).toThrow("Invalid page token, decoded value=nope");
    expect(() => parsePageToken(Buffer.from('{"page":2}').toString("base64"))).toThrow('Invalid page token, parsed value={"page":2}');
    expect(() => parsePageToken(Buffer.from('{"offset":"x"}').toString("base64"))).toThrow("Invalid page token, not stringable x");
  });

  it("slice one page from limit + 1 rows and point at the next", () => {
    expect(pageOf([1, 2, 3], 0, 3)).toEqual({ items: [1, 2, 3] });
    const page = pageOf([1, 2, 3, 4], 6, 3);
    expect(page.items).toEqual([1, 2, 3]);
    expect(parsePageToken(page.nextPageToken)).toBe(9);
  });
});
