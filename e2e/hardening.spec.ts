import { request as httpRequest } from "node:http";
import { expect, test, type APIResponse } from "@playwright/test";

// What scripts/server.mjs does before any surface runs (scripts/http-guard.mjs): the security
// headers on every answer (pages, the app's API, MLflow, the gateway's plain node:http answers),
// a Host that is neither loopback nor LLMOPS_PUBLIC_URL refused (DNS rebinding), and JSON bodies
// taken only as application/json, so a cross-site form or no-cors fetch cannot write.
const port = Number(process.env.E2E_PORT ?? 3210);
// Auth is on (lib/auth): requests carry the admin key playwright.config.ts gives the server as
// LLMOPS_ADMIN_API_KEY, so what is checked here is the hardening, not who may call. The Host
// check runs before authentication and needs no key.
const adminKey = process.env.E2E_ADMIN_API_KEY;
test.use({ extraHTTPHeaders: adminKey ? { authorization: `Bearer ${adminKey}` } : {} });

/** A request naming any Host (fetch and Playwright's request context always send the real one). */
function withHost(path: string, host: string, method = "GET") {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; json: unknown }>((resolve, reject) => {
    const req = httpRequest({ host: "127.0.0.1", port, path, method, headers: { host } }, (res) => {
      let text = "";
      res.on("data", (chunk: Buffer) => (text += chunk.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, json: JSON.parse(text) as unknown }));
    });
    req.on("error", reject);
    req.end();
  });
}

function expectCommonHeaders(res: APIResponse, what: string) {
  const headers = res.headers();
  expect(headers["content-security-policy"], what).toContain("frame-ancestors 'none'");
  expect(headers["x-content-type-options"], what).toBe("nosniff");
  expect(headers["x-frame-options"], what).toBe("DENY");
  expect(headers["referrer-policy"], what).toBe("same-origin");
  expect(headers["permissions-policy"], what).toContain("camera=()");
  // Plain HTTP: no HSTS (a browser would ignore it, and a proxy in front decides).
  expect(headers["strict-transport-security"], what).toBeUndefined();
  return headers;
}

test("every surface answers with the security headers; pages get a nonce policy without 'unsafe-inline' scripts", async ({ request }) => {
  const page = await request.get("/experiments");
  expect(page.status()).toBe(200);
  const pageHeaders = expectCommonHeaders(page, "page");
  const scriptSrc = pageHeaders["content-security-policy"]!.split(";").find((d) => d.trim().startsWith("script-src"))!;
  expect(scriptSrc).toMatch(/'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
  expect(scriptSrc).not.toContain("unsafe-inline");
  expect(scriptSrc).not.toContain("unsafe-eval");
  const nonce = /'nonce-([^']+)'/.exec(scriptSrc)![1];
  const html = await page.text();
  const scripts = html.match(/<script\b[^>]*>/g) ?? [];
  expect(scripts.length).toBeGreaterThan(0);
  for (const tag of scripts) expect(tag, "every script the page ships carries this response's nonce").toContain(`nonce="${nonce}"`);
  // A fresh nonce per response.
  const again = await request.get("/experiments");
  expect(again.headers()["content-security-policy"]).not.toContain(nonce);

  const data = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
  for (const path of ["/api/health", "/api/2.0/mlflow/experiments/get?experiment_id=0", "/openai/v1/models", "/api/gateway/status"]) {
    const res = await request.get(path);
    expect(res.status(), path).toBe(200);
    expect(expectCommonHeaders(res, path)["content-security-policy"], path).toBe(data);
  }
  // Errors too: a 404 from Next and a 405 from the gateway.
  expectCommonHeaders(await request.get("/api/nope"), "app 404");
  expectCommonHeaders(await request.get("/api/inference"), "gateway 405");
});

test("the dashboard runs under its policy: no violation, client code works, charts render", async ({ page }) => {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) =>
      console.error(`Content Security Policy: ${e.violatedDirective} ${e.blockedURI}`),
    );
  });
  await page.emulateMedia({ colorScheme: "light" });
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible();
  // A click handled by React proves the nonce'd scripts ran and hydrated; the reload, the layout's inline theme script.
  await page.getByRole("button", { name: "Switch to dark theme" }).click();
  await expect(page.locator("html")).toHaveClass(/dark/);
  await page.reload();
  await expect(page.locator("html")).toHaveClass(/dark/);
  await page.getByRole("button", { name: "Switch to light theme" }).click();
  // recharts draws only in the browser, after hydration: a function the demo's traffic reached.
  let name: string | undefined;
  await expect
    .poll(
      async () => {
        const body = (await (await page.request.get("/api/functions?range=30d")).json()) as {
          functions?: { name: string; requests: number }[];
        };
        name = body.functions?.find((f) => f.requests > 0)?.name;
        return name;
      },
      { timeout: 90_000, intervals: [1000] },
    )
    .toBeTruthy();
  await page.goto(`/functions/${encodeURIComponent(name!)}?range=30d`);
  await expect(page.getByRole("region", { name: "Traffic" }).locator("svg .recharts-line path").first()).toHaveAttribute(
    "d",
    /^M[\d.]+,[\d.]+L/,
  );
  expect(violations).toEqual([]);
});

test("a Host name that is neither localhost nor a public origin is refused on every surface, in its dialect", async ({ request }) => {
  const foreign = "rebind.attacker.example";
  const mlflow = await withHost("/api/2.0/mlflow/experiments/get?experiment_id=0", foreign);
  expect(mlflow.status).toBe(421);
  expect(mlflow.json).toEqual({ error_code: "INVALID_PARAMETER_VALUE", message: expect.stringContaining(`Host "${foreign}"`) });
  const app = await withHost("/api/health", `${foreign}:${port}`);
  expect(app.status).toBe(421);
  expect(app.json).toEqual({
    error: { code: "misdirected_request", message: expect.stringContaining("add its origin to LLMOPS_PUBLIC_URL") },
  });
  const gateway = await withHost("/openai/v1/models", foreign);
  expect(gateway.status).toBe(421);
  expect(gateway.json).toMatchObject({ error: { type: "invalid_request_error", code: "misdirected_request", param: null } });
  const page = await withHost("/experiments", foreign);
  expect(page.status).toBe(421);
  expect(page.headers["x-frame-options"]).toBe("DENY");
  // A rebinding attack cannot write either.
  const write = await withHost("/api/2.0/mlflow/experiments/create", foreign, "POST");
  expect(write.status).toBe(421);

  // Loopback by any name and port is served, and any IP address (a browser sends one only when the URL named it).
  for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, "localhost", `app.localhost:${port}`, "10.9.8.7:443", "[fd00::1]"]) {
    expect((await withHost("/api/health", host)).status, host).toBe(200);
  }
  expect((await request.get("/api/health")).status()).toBe(200);
});

test("JSON is taken only as application/json: a cross-site form or no-cors fetch cannot write", async ({ request }) => {
  const sneaky = { "content-type": "text/plain;charset=json" };

  // The app's API: an alias move sent as text/plain.
  const alias = await request.post("/api/registered/any-model/aliases", {
    headers: sneaky,
    data: JSON.stringify({ alias: "production", version: 1 }),
  });
  expect(alias.status()).toBe(415);
  expect((await alias.json()).error).toMatchObject({
    code: "unsupported_media_type",
    message: expect.stringContaining("expected content-type: application/json, got text/plain;charset=json"),
  });

  // The gateway.
  const chat = await request.post("/openai/v1/chat/completions", {
    headers: sneaky,
    data: JSON.stringify({ model: "llmops::function_name::greet", messages: [{ role: "user", content: "hi" }] }),
  });
  expect(chat.status()).toBe(415);
  expect((await chat.json()).error).toMatchObject({ type: "invalid_request_error", code: "unsupported_media_type" });

  // MLflow: its own 400 for the content type, and a form POST naming the run in the query string
  // (what MLflow clients never send) reads an empty message, so the run survives.
  const experiment = await request.post("/api/2.0/mlflow/experiments/create", { data: { name: `hardening-${Date.now()}` } });
  const { experiment_id } = (await experiment.json()) as { experiment_id: string };
  const created = await request.post("/api/2.0/mlflow/runs/create", { data: { experiment_id, start_time: Date.now() } });
  const runId = ((await created.json()) as { run: { info: { run_id: string } } }).run.info.run_id;

  const textDelete = await request.post("/api/2.0/mlflow/runs/delete", { headers: sneaky, data: JSON.stringify({ run_id: runId }) });
  expect(textDelete.status()).toBe(400);
  expect(await textDelete.json()).toEqual({
    error_code: "INVALID_PARAMETER_VALUE",
    message: "Bad Request. Content-Type must be one of ['application/json'].",
  });
  const formDelete = await request.post(`/api/2.0/mlflow/runs/delete?run_id=${runId}`, { form: { run_id: runId } });
  expect(formDelete.status()).toBe(400);
  const bareDelete = await request.post(`/api/2.0/mlflow/runs/delete?run_id=${runId}`);
  expect(bareDelete.status()).toBe(400);
  expect((await bareDelete.json()).message).toContain("'run_id'");

  const run = await request.get(`/api/2.0/mlflow/runs/get?run_id=${runId}`);
  expect(((await run.json()) as { run: { info: { lifecycle_stage: string } } }).run.info.lifecycle_stage).toBe("active");
  // The right content type still works.
  expect((await request.post("/api/2.0/mlflow/runs/delete", { data: { run_id: runId } })).status()).toBe(200);
});
