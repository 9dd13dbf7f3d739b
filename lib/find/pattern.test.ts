import { describe, expect, it } from "vitest";
import { containsLike, escapeLike, prefixLike } from "./pattern";

describe("LIKE patterns from typed text", () => {
  it("escapes the wildcards and the escape character", () => {
    expect(escapeLike("50%_off\\now")).toBe("50\\%\\_off\\\\now");
    expect(containsLike("a_b")).toBe("%a\\_b%");
    expect(prefixLike("%")).toBe("\\%%");
    expect(containsLike("plain words")).toBe("%plain words%");
  });
});
