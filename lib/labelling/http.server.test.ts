import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { OPEN, type Caller } from "@/lib/auth/caller";
import { permissionsOf } from "@/lib/auth/roles";
import { reviewerOf } from "./http.server";

const request = (cookie?: string) =>
  new NextRequest("http://app.test/api/labelling/queues/q/next", { method: "POST", headers: cookie ? { cookie } : {} });

const ann: Caller = {
  ...OPEN,
  kind: "user",
  name: "ann@example.com",
  userId: "u1",
  role: "reviewer",
  permissions: permissionsOf("reviewer", null),
  via: "session",
};

describe("who is reviewing", () => {
  it("is the signed-in account when auth is on: the cookie is ignored and another name is refused", () => {
    expect(reviewerOf(request("llmops_reviewer=Bob"), ann, undefined)).toBe("ann@example.com");
    expect(reviewerOf(request(), ann, "ann@example.com")).toBe("ann@example.com");
    expect(() => reviewerOf(request(), ann, "Bob")).toThrow(/cannot name another reviewer/);
  });

  it("with auth off (no identities), reads the name from the body first, else from the cookie (URL-encoded)", () => {
    expect(reviewerOf(request("llmops_reviewer=Ann%20Lee"), OPEN, undefined)).toBe("Ann Lee");
    expect(reviewerOf(request("llmops_reviewer=Ann"), OPEN, "Bob")).toBe("Bob");
  });

  it("asks for a name when there is none", () => {
    expect(() => reviewerOf(request(), OPEN, undefined)).toThrow(/Enter your reviewer name first/);
    expect(() => reviewerOf(request("llmops_reviewer=%20"), OPEN, undefined)).toThrow(/reviewer name/);
  });

  it("refuses a name the stores cannot hold", () => {
    expect(() => reviewerOf(request("llmops_reviewer=a%00b"), OPEN, undefined)).toThrow(/reviewer: contains a NUL character/);
  });
});
