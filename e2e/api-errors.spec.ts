import { expect, test } from "@playwright/test";

// What only the real server shows (the fuzz suite drives route handlers in process): Next's
// routing of unknown paths, undecodable segments and unrouted methods, and the one-process
// split between the gateway and Next. Every answer is JSON in its surface's dialect.

test("unknown API paths answer a JSON 404 in their dialect, without shadowing real routes", async ({ request }) => {
  for (const path of ["/api", "/api/nope", "/api/functions/greet/nope/deeper"]) {
    const res = await request.get(path);
    expect(res.status(), path).toBe(404);
    expect(await res.json()).toEqual({ error: { code: "not_found", message: `No API endpoint GET ${path}` } });
  }
  for (const path of ["/api/3.0/mlflow/traces/tr-0123/nope", "/api/3.0/mlflow/nope", "/api/2.0/mlflow-artifacts/nope"]) {
    const res = await request.get(path);
    expect(res.status(), path).toBe(404);
    expect(await res.json()).toEqual({ error_code: "ENDPOINT_NOT_FOUND", message: `No MLflow endpoint GET ${path} on this server.` });
  }
  expect((await request.get("/api/health")).status()).toBe(200);
  expect((await request.get("/ajax-api/2.0/mlflow/experiments/get?experiment_id=0")).status()).toBe(200);
  for (const path of ["/ajax-api/3.0/mlflow/logged-models", "/ajax-api/3.0/mlflow/nope"]) {
    const res = await request.get(path);
    expect(res.status(), path).toBe(404);
    expect((await res.json()).error_code).toBe("ENDPOINT_NOT_FOUND");
  }
  // MLflow's UI reads traces under /ajax-api/3.0 (the same API as /api/3.0).
  expect((await request.post("/ajax-api/3.0/mlflow/traces/search", { data: { locations: [] } })).status()).not.toBe(404);
});

test("a path segment is decoded once, and one that cannot be decoded is a 400", async ({ request }) => {
  const twice = await request.get("/api/registered/%2541");
  expect(twice.status()).toBe(404);
  expect((await twice.json()).error.message).toBe("Registered Model with name=%41 not found");

  const app = await request.get("/api/functions/%ZZ");
  expect(app.status()).toBe(400);
  expect((await app.json()).error).toMatchObject({
    code: "bad_request",
    message: expect.stringContaining('"%ZZ" is not valid percent-encoded'),
  });

  const mlflow = await request.get("/api/2.0/mlflow/runs/%ED%A0%80");
  expect(mlflow.status()).toBe(400);
  expect((await mlflow.json()).error_code).toBe("INVALID_PARAMETER_VALUE");

  const nul = await request.get("/api/labelling/datasets/%00");
  expect(nul.status()).toBe(400);
  expect((await nul.json()).error.message).toMatch(/name: contains a NUL character/);
});

test("a wrong method is a JSON 405 with Allow, on every surface", async ({ request }) => {
  const app = await request.fetch("/api/functions", { method: "PUT" });
  expect(app.status()).toBe(405);
  expect(app.headers()["allow"]).toBe("GET, HEAD, OPTIONS");
  expect((await app.json()).error.code).toBe("method_not_allowed");

  const mlflow = await request.post("/api/2.0/mlflow/runs/get", { data: {} });
  expect(mlflow.status()).toBe(405);
  expect(mlflow.headers()["allow"]).toBe("GET, HEAD, OPTIONS");
  expect((await mlflow.json()).error_code).toBe("ENDPOINT_NOT_FOUND");

  const gateway = await request.get("/api/inference");
  expect(gateway.status()).toBe(405);
  expect(gateway.headers()["allow"]).toBe("POST");
  expect((await gateway.json()).error).toMatchObject({ type: "invalid_request_error", code: "method_not_allowed" });

  const unrouted = await request.fetch("/api/functions", { method: "PROPFIND" });
  expect(unrouted.status()).toBe(405);
  expect((await unrouted.json()).error.code).toBe("method_not_allowed");

  const options = await request.fetch("/api/labelling/queues", { method: "OPTIONS" });
  expect(options.status()).toBe(204);
  expect(options.headers()["allow"]).toBe("GET, POST, HEAD, OPTIONS");
});
