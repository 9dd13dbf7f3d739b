import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  guardErrorBody,
  guardRequest,
  hostDecision,
  isIpAddressHost,
  isLoopbackHost,
  parseListenHost,
  parsePublicOrigins,
  securityHeaders,
} from "@/scripts/http-guard.mjs";
import { surfaceErrorBody, surfaceOf } from "./surface";

/** scripts/http-guard.mjs: what scripts/server.mjs checks and sets on every request before dispatch. */
describe("hostDecision (DNS rebinding)", () => {
  const none = parsePublicOrigins(undefined);
  const configured = parsePublicOrigins("https://llmops.example.com, http://10.0.0.5:3000");

  it.each([
    "localhost",
    "localhost:3000",
    "LOCALHOST:80",
    "localhost.:3000",
    "127.0.0.1",
    "127.0.0.1:3210",
    "127.1.2.3:9",
    "[::1]",
    "[::1]:3000",
    "[0:0:0:0:0:0:0:1]:3000",
    "app.localhost:3000",
    "a.b.localhost",
  ])("serves loopback %s on any port without settings", (host) => {
    expect(isLoopbackHost(host)).toBe(true);
    expect(hostDecision(host, none)).toEqual({ ok: true });
  });

  it.each([
    "evil.example",
    "evil.example:3000",
    "localhost.evil.example",
    "127.0.0.1.nip.io:3000",
    "localhost@evil.example",
    "evil.example/localhost",
    "evil.example#localhost",
    "10.0.0.5.evil.example",
    "localhost:3000:3000",
    "10.0.0.5:3000:1",
    "local host",
    "",
  ])("refuses %j when no public origin is configured", (host) => {
    const decision = hostDecision(host, none);
    expect(decision.ok).toBe(false);
  });

  it.each(["10.0.0.5:3000", "192.168.1.20", "0.0.0.0:3000", "[fd00::1]:3000", "[::ffff:7f00:1]", "128.0.0.1"])(
    "serves the IP address %s without settings: a browser sends one only when the page's URL named it, never after DNS",
    (host) => {
      expect(isLoopbackHost(host)).toBe(false);
      expect(isIpAddressHost(host)).toBe(true);
      expect(hostDecision(host, none)).toEqual({ ok: true });
    },
  );

  it("refuses a request without a Host header and says so", () => {
    const decision = hostDecision(undefined, none);
    expect(decision).toMatchObject({ ok: false, message: expect.stringMatching(/no Host header/) });
  });

  it("names the refused Host and the setting that admits it", () => {
    const decision = hostDecision("rebind.attacker.example:3000", configured);
    expect(decision.ok).toBe(false);
    if (decision.ok) return;
    expect(decision.message).toContain('Host "rebind.attacker.example:3000"');
    expect(decision.message).toContain("LLMOPS_PUBLIC_URL");
    expect(decision.message).toContain("now https://llmops.example.com, http://10.0.0.5:3000");
  });

  it("serves a configured origin by host and port, the scheme's default port implied", () => {
    expect(hostDecision("llmops.example.com", configured)).toEqual({ ok: true });
    expect(hostDecision("LLMOPS.example.com:443", configured)).toEqual({ ok: true });
    expect(hostDecision("llmops.example.com:8443", configured).ok).toBe(false);
    expect(hostDecision("sub.llmops.example.com", configured).ok).toBe(false);
    expect(hostDecision("llmops.example.org", configured).ok).toBe(false);
  });

  it("clips a huge Host in its message", () => {
    const decision = hostDecision(`${"a".repeat(5000)}.example`, none);
    expect(decision.ok).toBe(false);
    if (!decision.ok) expect(decision.message.length).toBeLessThan(700);
  });
});

describe("settings", () => {
  it("parses LLMOPS_PUBLIC_URL as comma-separated origins", () => {
    expect(parsePublicOrigins("")).toEqual([]);
    expect(parsePublicOrigins("https://LLMOPS.example.com/, http://10.0.0.5:3000")).toEqual([
      { protocol: "https:", host: "llmops.example.com", origin: "https://llmops.example.com" },
      { protocol: "http:", host: "10.0.0.5:3000", origin: "http://10.0.0.5:3000" },
    ]);
  });

  it.each([
    ["llmops.example.com", /not a URL/],
    ["ftp://llmops.example.com", /must start with http:\/\/ or https:\/\//],
    ["https://llmops.example.com/app", /must be an origin/],
    ["https://user:pw@llmops.example.com", /must be an origin/],
    ["https://llmops.example.com/?a=1", /must be an origin/],
  ])("refuses LLMOPS_PUBLIC_URL=%j", (value, message) => {
    expect(() => parsePublicOrigins(value)).toThrow(message);
  });

  it("listens on loopback unless HOST says otherwise", () => {
    expect(parseListenHost(undefined)).toBe("127.0.0.1");
    expect(parseListenHost(" ")).toBe("127.0.0.1");
    expect(parseListenHost("0.0.0.0")).toBe("0.0.0.0");
    expect(parseListenHost("[::]")).toBe("::");
    expect(parseListenHost("my-host.internal")).toBe("my-host.internal");
    expect(() => parseListenHost("http://0.0.0.0")).toThrow(/HOST="http:\/\/0.0.0.0": must be an IP address/);
  });
});

describe("guardErrorBody", () => {
  it("answers in the same dialect as lib/http/surface.ts for the paths Next serves", () => {
    for (const path of [
      "/api/2.0/mlflow/runs/delete",
      "/ajax-api/2.0/mlflow/runs/get",
      "/api/3.0/mlflow/traces",
      "/api/registered",
      "/v1/traces",
      "/",
      "/experiments",
    ]) {
      for (const status of [400, 404, 405, 415, 421]) {
        expect(guardErrorBody(path, false, status, "misdirected_request", "m")).toEqual(
          surfaceErrorBody(surfaceOf(path), status, "misdirected_request", "m"),
        );
      }
    }
  });

  it("answers in the gateway's dialects on its paths", () => {
    expect(guardErrorBody("/openai/v1/chat/completions", true, 421, "misdirected_request", "m")).toEqual({
      error: { message: "m", type: "invalid_request_error", code: "misdirected_request", param: null },
    });
    expect(guardErrorBody("/api/inference", true, 421, "misdirected_request", "m")).toMatchObject({ error: { message: "m" } });
    expect(guardErrorBody("/inference", true, 421, "misdirected_request", "m")).toEqual({ error: "m" });
    expect(guardErrorBody("/health/", true, 421, "misdirected_request", "m")).toEqual({ error: "m" });
  });
});

describe("securityHeaders", () => {
  it("gives pages a nonce-based script policy without 'unsafe-inline' and no framing", () => {
    const headers = securityHeaders({ api: false, nonce: "abc123==" });
    const csp = headers["content-security-policy"]!;
    const script = csp.split("; ").find((d) => d.startsWith("script-src"));
    expect(script).toBe("script-src 'self' 'nonce-abc123==' 'strict-dynamic'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toContain("upgrade-insecure-requests");
    expect(headers).toMatchObject({
      "x-content-type-options": "nosniff",
      "x-frame-options": "DENY",
      "referrer-policy": "same-origin",
      "permissions-policy": expect.stringContaining("camera=()"),
    });
    expect(headers["strict-transport-security"]).toBeUndefined();
  });

  it("lets Next's dev server evaluate code and open its websocket only in development", () => {
    const csp = securityHeaders({ api: false, nonce: "n", dev: true })["content-security-policy"]!;
    expect(csp).toContain("'unsafe-eval'");
    expect(csp).toContain("connect-src 'self' ws: wss:");
  });

  it("gives data answers a policy that runs nothing, and HSTS only over HTTPS", () => {
    const headers = securityHeaders({ api: true, https: true });
    expect(headers["content-security-policy"]).toBe("default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
    expect(headers["strict-transport-security"]).toBe("max-age=31536000");
  });
});

describe("guardRequest on a node:http server", () => {
  let server: Server;
  let base: string;
  const seen: { headers: Record<string, unknown> }[] = [];

  beforeAll(async () => {
    const publicOrigins = parsePublicOrigins("https://llmops.example.com");
    server = createServer((req, res) => {
      const gateway = (req.url ?? "").startsWith("/openai/");
      if (!guardRequest(req, res, { publicOrigins, gateway })) return;
      seen.push({ headers: { ...req.headers } });
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  /** fetch cannot set Host; a raw request can. */
  async function get(path: string, host: string, headers: Record<string, string> = {}) {
    const { request } = await import("node:http");
    return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>((resolve, reject) => {
      const req = request(`${base}${path}`, { headers: { host, ...headers } }, (res) => {
        let body = "";
        res.on("data", (chunk: Buffer) => (body += chunk.toString()));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      });
      req.on("error", reject);
      req.end();
    });
  }

  it("refuses a foreign Host with a 421 in the path's dialect, before the handler runs", async () => {
    const before = seen.length;
    const mlflow = await get("/api/2.0/mlflow/runs/get?run_id=x", "rebind.example:3000");
    expect(mlflow.status).toBe(421);
    expect(JSON.parse(mlflow.body)).toMatchObject({
      error_code: "INVALID_PARAMETER_VALUE",
      message: expect.stringContaining("rebind.example:3000"),
    });
    expect(mlflow.headers["x-frame-options"]).toBe("DENY");
    const openai = await get("/openai/v1/models", "rebind.example");
    expect(openai.status).toBe(421);
    expect(JSON.parse(openai.body)).toMatchObject({ error: { type: "invalid_request_error", code: "misdirected_request" } });
    const app = await get("/api/registered", "rebind.example");
    expect(JSON.parse(app.body)).toMatchObject({
      error: { code: "misdirected_request", message: expect.stringContaining("LLMOPS_PUBLIC_URL") },
    });
    expect(seen.length).toBe(before);
  });

  it("serves loopback and the public origin with the security headers", async () => {
    const page = await get("/experiments", "localhost:3000");
    expect(page.status).toBe(200);
    expect(page.headers["content-security-policy"]).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{24}' 'strict-dynamic'/);
    expect(page.headers["x-content-type-options"]).toBe("nosniff");
    const api = await get("/api/registered", "llmops.example.com", { "x-forwarded-proto": "https" });
    expect(api.status).toBe(200);
    expect(api.headers["content-security-policy"]).toBe("default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
    expect(api.headers["strict-transport-security"]).toBe("max-age=31536000");
  });

  it("gives each page request a fresh nonce that Next.js and the layout read, replacing the client's own", async () => {
    const first = await get("/", "127.0.0.1", { "x-nonce": "chosen", "content-security-policy": "script-src 'nonce-chosen'" });
    const second = await get("/", "127.0.0.1");
    const nonceOf = (csp: unknown) => /'nonce-([^']+)'/.exec(String(csp))?.[1];
    const [a, b] = [nonceOf(first.headers["content-security-policy"]), nonceOf(second.headers["content-security-policy"])];
    expect(a).toBeDefined();
    expect(a).not.toBe(b);
    const seenFirst = seen.at(-2)!.headers;
    expect(seenFirst["x-nonce"]).toBe(a);
    expect(seenFirst["content-security-policy"]).toBe(first.headers["content-security-policy"]);
  });

  it("passes no nonce to data requests, whatever the client sent, and gives them the data policy", async () => {
    for (const path of ["/api/registered", "/ajax-api/2.0/mlflow/runs/get", "/v1/traces", "/version", "/openai/v1/models"]) {
      const res = await get(path, "localhost", { "x-nonce": "chosen", "content-security-policy": "script-src 'nonce-chosen'" });
      expect(res.headers["content-security-policy"], path).toMatch(/^default-src 'none'/);
      const headers = seen.at(-1)!.headers;
      expect(headers["x-nonce"], path).toBeUndefined();
      expect(headers["content-security-policy"], path).toBeUndefined();
    }
  });
});
