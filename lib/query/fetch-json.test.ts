import { afterEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { ApiError, CSRF_HEADER, fetchJson, withCsrf } from "./fetch-json";

afterEach(() => vi.unstubAllGlobals());

describe("withCsrf", () => {
  it("adds the CSRF header to every state-changing method and keeps the other headers", () => {
    for (const method of ["POST", "put", "PATCH", "DELETE"]) {
      const headers = new Headers(withCsrf({ method, headers: { "content-type": "application/json" } }).headers);
      expect(headers.get(CSRF_HEADER)).toBe("1");
      expect(headers.get("content-type")).toBe("application/json");
    }
  });

  it("leaves reads alone", () => {
    expect(new Headers(withCsrf({}).headers).has(CSRF_HEADER)).toBe(false);
    expect(new Headers(withCsrf({ method: "HEAD" }).headers).has(CSRF_HEADER)).toBe(false);
  });
});

describe("fetchJson", () => {
  it("sends the header with a write, and turns an API error into an ApiError with its status and code", async () => {
    const seen: Headers[] = [];
    vi.stubGlobal("fetch", (_url: string, init: RequestInit) => {
      seen.push(new Headers(init.headers));
      return Promise.resolve(Response.json({ error: { code: "forbidden", message: "Needs the editor role" } }, { status: 403 }));
    });
    const error = await fetchJson("/api/x", z.unknown(), { init: { method: "POST", body: "{}" } }).catch((e: unknown) => e);
    expect(seen[0]?.get(CSRF_HEADER)).toBe("1");
    expect(seen[0]?.get("accept")).toBe("application/json");
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 403,
      code: "forbidden",
      detail: "Needs the editor role",
      message: "/api/x: Needs the editor role",
    });
  });

  it("sends no CSRF header with a read", async () => {
    const seen: Headers[] = [];
    vi.stubGlobal("fetch", (_url: string, init: RequestInit) => {
      seen.push(new Headers(init.headers));
      return Promise.resolve(Response.json({ ok: true }));
    });
    expect(await fetchJson("/api/x", z.object({ ok: z.boolean() }))).toEqual({ ok: true });
    expect(seen[0]?.has(CSRF_HEADER)).toBe(false);
  });
});
