import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { openTestStores, type TestStores } from "@/lib/gateway/testing/harness";
import { NotFoundError } from "./errors";
import { route } from "./route";

// route() opens the request context on the process's stores: real ones, registered as start-up does.
const STORES = Symbol.for("llmops.stores");
let env: TestStores;
beforeAll(async () => {
  env = await openTestStores();
  (globalThis as Record<symbol, unknown>)[STORES] = Promise.resolve(env.stores);
  process.env.LLMOPS_AUTH = "off";
});
afterAll(async () => {
  delete (globalThis as Record<symbol, unknown>)[STORES];
  await env.cleanup();
});

const handler = route({
  access: "edit",
  query: z.object({ verbose: z.enum(["true", "false"]).optional() }),
  body: z.object({ name: z.string().min(1), count: z.number().int().positive() }),
  response: z.object({ greeting: z.string() }),
  maxBodyBytes: 200,
  handler: async ({ body, query }) => {
    if (body.name === "ghost") throw new NotFoundError("no such name: ghost");
    return { greeting: `hello ${body.name} x${body.count}${query.verbose === "true" ? "!" : ""}` };
  },
});

const ctx = { params: Promise.resolve({}) };
function post(body: string, init: { url?: string; type?: string | null } = {}) {
  const type = init.type === undefined ? "application/json" : init.type;
  return handler(
    new NextRequest(init.url ?? "http://x/api/t", {
      method: "POST",
      // A string body would get text/plain from the Request constructor; bytes get no type.
      body: type === null ? new TextEncoder().encode(body) : body,
      headers: type === null ? {} : { "content-type": type },
    }),
    ctx,
  );
}

describe("route()", () => {
  it("parses query and body and returns the handler's JSON", async () => {
    const res = await post(JSON.stringify({ name: "ada", count: 2 }), { url: "http://x/api/t?verbose=true" });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ greeting: "hello ada x2!" });
  });

  it("answers 400 naming each bad field", async () => {
    const res = await post(JSON.stringify({ name: "", count: 1.5 }));
    expect(res.status).toBe(400);
    const { error } = await res.json();
    expect(error.code).toBe("bad_request");
    expect(error.message).toMatch(/^Invalid body: name: .*; count: /);
  });

  it("answers 400 for a bad query string", async () => {
    const res = await post(JSON.stringify({ name: "a", count: 1 }), { url: "http://x/api/t?verbose=maybe" });
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toMatch(/^Invalid query string: verbose/);
  });

  it("answers 400 for malformed or empty JSON, 415 for another content type, 413 for a big body", async () => {
    const bad = await post("{not json");
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.message).toMatch(/^Invalid body: not valid JSON/);
    expect((await post("")).status).toBe(400);
    expect((await post("name=a", { type: "application/x-www-form-urlencoded" })).status).toBe(415);
    expect((await post(JSON.stringify({ name: "a", count: 1 }), { type: "application/json; charset=utf-8" })).status).toBe(200);
    const big = await post(JSON.stringify({ name: "x".repeat(500), count: 1 }));
    expect(big.status).toBe(413);
    expect((await big.json()).error.message).toMatch(/exceeds the limit of 200 bytes/);
  });

  it("answers 400 naming the field for NUL or lone surrogates, in the body, the query string or a path segment", async () => {
    const body = await post('{"name":"a\\u0000","count":1}');
    expect([body.status, (await body.json()).error.message]).toEqual([
      400,
      "Invalid body: name: contains a NUL character (\\u0000), which cannot be stored",
    ]);
    const query = await post(JSON.stringify({ name: "a", count: 1 }), { url: "http://x/api/t?verbose=%00" });
    expect((await query.json()).error.message).toMatch(/^Invalid query string: verbose: contains a NUL character/);
    const segment = await handler(new NextRequest("http://x/api/t", { method: "POST", body: "{}" }), {
      params: Promise.resolve({ id: "\ud800" }),
    });
    expect((await segment.json()).error.message).toMatch(/^Invalid path: id: contains a lone UTF-16 surrogate/);
  });

  it("answers 400 for JSON nested deeper than 64 levels", async () => {
    const res = await post("[".repeat(65) + "]".repeat(65));
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toMatch(/^Invalid body: the JSON nests deeper than 64 levels/);
  });

  it("maps domain errors through the error table", async () => {
    const res = await post(JSON.stringify({ name: "ghost", count: 1 }));
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: "not_found", message: "no such name: ghost" } });
  });

  it("takes JSON only as application/json: what a cross-site form or no-cors fetch sends is a 415", async () => {
    const json = JSON.stringify({ name: "a", count: 1 });
    for (const type of ["text/plain;charset=json", "text/plain", "application/jsonx", "multipart/form-data; boundary=x"]) {
      const res = await post(json, { type });
      expect(res.status).toBe(415);
      const { error } = await res.json();
      expect(error).toMatchObject({ code: "unsupported_media_type", message: expect.stringContaining(`got ${type}`) });
    }
    const untyped = await post(json, { type: null });
    expect(untyped.status).toBe(415);
    expect((await untyped.json()).error.message).toMatch(/has a body but no content-type/);
  });
});
