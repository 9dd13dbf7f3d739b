import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { reviewerOf } from "./http.server";

const request = (cookie?: string) =>
  new NextRequest("http://app.test/api/labelling/queues/q/next", { method: "POST", headers: cookie ? { cookie } : {} });

describe("who is reviewing", () => {
  it("reads the name from the body first, else from the cookie (URL-encoded)", () => {
    expect(reviewerOf(request("llmops_reviewer=Ann%20Lee"), undefined)).toBe("Ann Lee");
    expect(reviewerOf(request("llmops_reviewer=Ann"), "Bob")).toBe("Bob");
  });

  it("asks for a name when there is none", () => {
    expect(() => reviewerOf(request(), undefined)).toThrow(/Enter your reviewer name first/);
    expect(() => reviewerOf(request("llmops_reviewer=%20"), undefined)).toThrow(/reviewer name/);
  });

  it("refuses a name the stores cannot hold", () => {
    expect(() => reviewerOf(request("llmops_reviewer=a%00b"), undefined)).toThrow(/reviewer: contains a NUL character/);
  });
});
