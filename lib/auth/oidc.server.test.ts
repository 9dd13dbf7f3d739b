import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { parseEnv } from "@/lib/env.server";
import { AppError } from "@/lib/http/errors";
import { beginSignIn, publicOrigin, safeNext } from "./oidc.server";

describe("where single sign-on lands, and the redirect URI's origin", () => {
  it("keeps a path on this origin and turns everything else into /", () => {
    expect(safeNext("/runs?experiment=1#top")).toBe("/runs?experiment=1#top");
    expect(safeNext("/a/../labelling")).toBe("/labelling");
    for (const next of [undefined, "", "runs", "//evil.example", "/\\evil.example", "https://evil.example/", "/\t/evil.example", "/\n/x"]) {
      expect(safeNext(next), JSON.stringify(next)).toBe("/");
    }
  });

  it("takes the first LLMOPS_PUBLIC_URL origin, else the Host the browser sent and its scheme", () => {
    const req = (headers: Record<string, string>) => new Request("http://localhost:3000/api/auth/oidc/start", { headers });
    const unset = parseEnv({});
    expect(publicOrigin(req({ host: "127.0.0.1:3000" }), unset)).toBe("http://127.0.0.1:3000");
    expect(publicOrigin(req({ host: "llmops.example.com", "x-forwarded-proto": "https" }), unset)).toBe("https://llmops.example.com");
    const set = parseEnv({ LLMOPS_PUBLIC_URL: "https://llmops.example.com, http://10.0.0.5:3000" });
    expect(publicOrigin(req({ host: "10.0.0.5:3000" }), set)).toBe("https://llmops.example.com");
  });
});

describe("a provider that cannot be reached", () => {
  // Nothing listens on 3649 (this suite's port range): discovery fails with a refused connection.
  beforeAll(() => {
    vi.stubEnv("LLMOPS_OIDC_ISSUER", "http://127.0.0.1:3649");
    vi.stubEnv("LLMOPS_OIDC_CLIENT_ID", "llmops");
    vi.stubEnv("LLMOPS_OIDC_CLIENT_SECRET", "secret");
  });
  afterAll(() => {
    vi.unstubAllEnvs();
  });

  it("answers a 502 naming the issuer, every time (a failed discovery is not cached)", async () => {
    const start = () => beginSignIn(new Request("http://127.0.0.1:3000/api/auth/oidc/start", { headers: { host: "127.0.0.1:3000" } }), "/");
    for (let attempt = 0; attempt < 2; attempt++) {
      const error = await start().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AppError);
      expect(error).toMatchObject({ code: "bad_gateway", status: 502 });
      expect((error as Error).message).toMatch(/^The identity provider at http:\/\/127\.0\.0\.1:3649\/ did not answer discovery/);
    }
  });
});
