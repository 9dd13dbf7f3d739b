import { readdirSync } from "node:fs";
import path from "node:path";
import { NextRequest } from "next/server";
import { afterEach, describe, expect, it, vi } from "vitest";
import { proxy } from "@/proxy";
import { DASHBOARD_SECTIONS, isDashboardPage } from "./page-gate";

const get = (url: string, headers: Record<string, string> = {}) => proxy(new NextRequest(`http://localhost${url}`, { headers }));

describe("the dashboard's sign-in redirect (proxy.ts)", () => {
  afterEach(() => vi.unstubAllEnvs());

  it("knows every section of app/(dashboard)", () => {
    const folders = readdirSync(path.join(process.cwd(), "app/(dashboard)"), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
    expect([...DASHBOARD_SECTIONS].sort()).toEqual(folders);
    expect(["/", "/experiments", "/experiments/1/runs/abc", "/admin/users"].every(isDashboardPage)).toBe(true);
    expect(["/sign-in", "/experimentsx", "/api/experiments", "/v1/traces", "/version", "/icon.svg"].some(isDashboardPage)).toBe(false);
  });

  it("sends a visitor without a session cookie or key to sign in with a 307, and lets everyone else through", () => {
    vi.stubEnv("LLMOPS_AUTH", "");
    const anonymous = get("/experiments/1?view=table");
    expect([anonymous.status, anonymous.headers.get("location")]).toEqual([
      307,
      "http://localhost/sign-in?next=%2Fexperiments%2F1%3Fview%3Dtable",
    ]);
    expect(get("/").headers.get("location")).toBe("http://localhost/sign-in?next=%2F");
    // A cookie is only looked at here; pageContext() checks it (a stale one goes to sign in from there).
    expect(get("/experiments", { cookie: "llmops_session=abc" }).headers.get("location")).toBeNull();
    expect(get("/experiments", { authorization: "Bearer k" }).headers.get("location")).toBeNull();
    for (const open of ["/sign-in", "/api/experiments", "/v1/traces", "/version", "/icon.svg"]) {
      expect(get(open).status, open).not.toBe(307);
    }
    vi.stubEnv("LLMOPS_AUTH", "off");
    expect(get("/experiments").headers.get("location")).toBeNull();
  });
});
