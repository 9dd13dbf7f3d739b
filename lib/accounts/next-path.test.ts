import { describe, expect, it } from "vitest";
import { safeNextPath, signInHref } from "./next-path";

describe("safeNextPath", () => {
  it("keeps a path on this site with its query and hash", () => {
    expect(safeNextPath("/registry/prompts/summarize?tab=versions#v2")).toBe("/registry/prompts/summarize?tab=versions#v2");
  });

  it.each([
    [undefined],
    [null],
    [""],
    ["https://evil.test/"],
    ["//evil.test/path"],
    ["/\\evil.test"],
    ["/\\/evil.test"],
    ["/a\\b"],
    ["/x\n//evil.test"],
    ["javascript:alert(1)"],
    ["relative/path"],
    ["/sign-in"],
    ["/sign-in?next=/x"],
  ])("falls back to the overview for %j", (next) => {
    expect(safeNextPath(next)).toBe("/");
  });
});

describe("signInHref", () => {
  it("returns to the page asked for, and omits next for the overview", () => {
    expect(signInHref("/admin/users?x=1")).toBe("/sign-in?next=%2Fadmin%2Fusers%3Fx%3D1");
    expect(signInHref("/")).toBe("/sign-in");
  });
});
