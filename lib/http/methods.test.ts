import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { proxy } from "@/proxy";
import { refuseOtherMethods } from "./methods";
import { UNKNOWN_ENDPOINT } from "./not-found";
import { pathParam, segment, wholeNumberSegment } from "./params";

describe("refuseOtherMethods", () => {
  it("answers the other methods with a JSON 405 and Allow, in the path's dialect", async () => {
    const { POST, OPTIONS } = refuseOtherMethods({ GET: async () => new Response("ok") });
    const app = await POST(new Request("http://x/api/functions", { method: "POST" }));
    expect(app.status).toBe(405);
    expect(app.headers.get("allow")).toBe("GET, HEAD, OPTIONS");
    expect(await app.json()).toEqual({
      error: { code: "method_not_allowed", message: "POST is not allowed on /api/functions; it takes GET, HEAD, OPTIONS" },
    });
    const options = await OPTIONS(new Request("http://x/api/functions", { method: "OPTIONS" }));
    expect([options.status, options.headers.get("allow")]).toEqual([204, "GET, HEAD, OPTIONS"]);
  });
});

describe("unknown endpoints", () => {
  it("answer 404 as our API under /api, as MLflow under /api/2.0, /api/3.0 and /ajax-api", async () => {
    const app = await UNKNOWN_ENDPOINT.GET(new Request("http://x/api/nope"));
    expect([app.status, await app.json()]).toEqual([404, { error: { code: "not_found", message: "No API endpoint GET /api/nope" } }]);
    for (const path of ["/api/3.0/mlflow/traces", "/ajax-api/2.0/mlflow-artifacts/x"]) {
      const res = await UNKNOWN_ENDPOINT.POST(new Request(`http://x${path}`, { method: "POST" }));
      expect(await res.json()).toEqual({ error_code: "ENDPOINT_NOT_FOUND", message: `No MLflow endpoint POST ${path} on this server.` });
    }
  });
});

describe("path parameters", () => {
  it("are taken as Next decoded them, checked, never decoded again", () => {
    expect(pathParam({ name: "%41" }, "name")).toBe("%41");
    expect(pathParam({ path: ["a", "b"] }, "path")).toBe("a/b");
    expect(() => pathParam({ name: "a\u0000" }, "name")).toThrow("Invalid path: name: contains a NUL character");
    expect(() => pathParam({ name: "n".repeat(1001) }, "name")).toThrow(/is 1,001 characters long; at most 1000/);
    expect(() => pathParam({}, "name")).toThrow("Invalid path: missing name");
  });

  it("are parsed by a route's zod schema: text checked, whole numbers converted", () => {
    const params = z.object({ name: segment, path: segment, claimId: wholeNumberSegment });
    expect(params.parse({ name: "%41", path: ["a", "b"], claimId: "12" })).toEqual({ name: "%41", path: "a/b", claimId: 12 });
    const problems = (input: Record<string, unknown>) =>
      params.safeParse(input).error?.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    expect(problems({ name: "a\u0000", path: "p", claimId: "1" })).toEqual([expect.stringMatching(/^name: contains a NUL character/)]);
    expect(problems({ name: "n".repeat(1001), path: "p", claimId: "1e3" })).toEqual([
      "name: at most 1000 characters",
      "claimId: must be a whole number",
    ]);
    expect(problems({ name: "", path: [], claimId: "1" })).toEqual(["name: missing", "path: missing"]);
  });
});

describe("proxy", () => {
  it("answers an undecodable segment with a 400 and an unrouted method with a 405, in the path's dialect", async () => {
    const app = proxy(new NextRequest("http://x/api/functions/%ZZ"));
    expect(app.status).toBe(400);
    expect((await app.json()).error.message).toMatch(/"%ZZ" is not valid percent-encoded UTF-8/);
    const mlflow = proxy(new NextRequest("http://x/api/2.0/mlflow/runs/%ED%A0%80"));
    expect((await mlflow.json()).error_code).toBe("INVALID_PARAMETER_VALUE");
    const method = proxy(new NextRequest("http://x/api/functions", { method: "PROPFIND" }));
    expect([method.status, (await method.json()).error.code]).toEqual([405, "method_not_allowed"]);
    expect(proxy(new NextRequest("http://x/api/functions/%2541")).headers.get("x-middleware-next")).toBe("1");
  });
});
