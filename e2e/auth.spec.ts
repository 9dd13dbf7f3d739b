import { createServer, type Server } from "node:http";
import { expect, test, type APIRequestContext, type Page, type PlaywrightWorkerArgs } from "@playwright/test";
import { ADMIN_EMAIL, ADMIN_PASSWORD, BEARER, CSRF } from "./auth-fixtures";

/**
 * Accounts, roles, keys and CSRF in the browser (issue 14). Every test here starts signed out and
 * without the CSRF header the other specs get from the config: the dashboard must send it itself.
 * Set-up goes through the API with the admin key (a header credential, not the cookie).
 */
const SIGNED_OUT = { cookies: [], origins: [] };
test.use({ storageState: SIGNED_OUT, extraHTTPHeaders: {} });

// The page "on another origin": a port in this checkout's range (override with E2E_CROSS_ORIGIN_PORT).
const CROSS_ORIGIN_PORT = Number(process.env.E2E_CROSS_ORIGIN_PORT ?? 3517);

const stamp = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

async function adminApi(playwright: PlaywrightWorkerArgs["playwright"], baseURL: string | undefined): Promise<APIRequestContext> {
  return playwright.request.newContext({ baseURL, storageState: SIGNED_OUT, extraHTTPHeaders: BEARER });
}

async function json<T>(res: Awaited<ReturnType<APIRequestContext["get"]>>, status = 200): Promise<T> {
  expect(res.status(), `${res.url()}: ${await res.text()}`).toBe(status);
  return (await res.json()) as T;
}

async function createUser(api: APIRequestContext, role: "viewer" | "reviewer" | "editor") {
  const id = stamp();
  const account = { email: `${role}-${id}@example.test`, name: `E2E ${role} ${id}`, role, password: `${role}-password-${id}` };
  await json(await api.post("/api/admin/users", { data: account }));
  return account;
}

async function signIn(page: Page, email: string, password: string) {
  await page.goto("/sign-in");
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("button", { name: /^Account: / })).toBeVisible();
}

test("signing in (a wrong password says so), returning to the page asked for, and signing out", async ({ page }) => {
  await page.goto("/registry");
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fregistry$/);
  await expect(page.getByText("prints its email and password in the console")).toBeVisible();

  await page.getByLabel("Email", { exact: true }).fill(ADMIN_EMAIL);
  await page.getByLabel("Password", { exact: true }).fill("not-the-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  // (By text: Next's route announcer is an alert too.)
  await expect(page.getByText("Wrong email or password.")).toBeVisible();
  await expect(page).toHaveURL(/\/sign-in/);

  await page.getByLabel("Password", { exact: true }).fill(ADMIN_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/registry$/);
  await expect(page.getByRole("heading", { level: 1, name: "Prompts & Models" })).toBeVisible();
  const cookie = (await page.context().cookies()).find((c) => c.name === "llmops_session");
  expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Lax" });

  // The account menu: who, and the admin's areas in the navigation.
  // A click that lands before React has hydrated the shell does nothing: click until it is open.
  const accountButton = page.getByRole("button", { name: /^Account: / });
  await expect(async () => {
    if ((await accountButton.getAttribute("aria-expanded")) !== "true") await accountButton.click();
    await expect(accountButton).toHaveAttribute("aria-expanded", "true", { timeout: 1_000 });
  }).toPass();
  await expect(page.getByRole("group", { name: "Account menu" }).getByText(ADMIN_EMAIL)).toBeVisible();
  const account = page.getByRole("list", { name: "Account" });
  await expect(account.getByRole("link")).toHaveText(["API keys", "Users", "Audit log"]);

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  expect((await page.context().cookies()).find((c) => c.name === "llmops_session" && c.value)).toBeUndefined();
  const me = await json<{ caller: { kind: string } }>(await page.request.get("/api/auth/me"));
  expect(me.caller.kind).toBe("anonymous");
  await page.goto("/experiments");
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fexperiments$/);

  // Where a refused single sign-on lands: a fixed message per code, and none for text of a link's own.
  await page.goto("/sign-in?sso_error=refused");
  await expect(page.getByText("The identity provider refused the sign-in.")).toBeVisible();
  await page.goto("/sign-in?sso_error=Call%20us%20to%20unlock");
  await expect(page.getByText("Call us to unlock")).toHaveCount(0);
});

test("a reviewer created by the admin labels under their own account", async ({ page, playwright, baseURL }) => {
  test.setTimeout(240_000);
  const api = await adminApi(playwright, baseURL);
  // The demo's labelling queue is seeded after its gateway traffic: once it exists, inferences do.
  await expect
    .poll(async () => (await json<{ queues: { name: string }[] }>(await api.get("/api/labelling/queues"))).queues.map((q) => q.name), {
      timeout: 150_000,
      intervals: [1000],
    })
    .toContain("Demo review");
  const queue = await json<{ id: string }>(
    await api.post("/api/labelling/queues", {
      data: {
        name: `E2E reviewer ${stamp()}`,
        filter: { function: "summarize" },
        sample: { size: 2 },
        fields: [{ key: "good", type: "boolean" }],
      },
    }),
  );
  const reviewer = await createUser(api, "reviewer");

  await signIn(page, reviewer.email, reviewer.password);
  // A reviewer labels but does not create queues.
  await page.goto("/labelling");
  await expect(page.getByRole("heading", { level: 1, name: "Labelling" })).toBeVisible();
  await expect(page.getByRole("link", { name: "New queue" })).toHaveCount(0);

  await page.goto(`/labelling/${queue.id}/review`);
  await expect(page.getByText(`Labelling as ${reviewer.email}`)).toBeVisible();
  await expect(page.getByLabel("Your name")).toHaveCount(0);
  await expect(page.getByText("Item 1", { exact: true })).toBeVisible();
  await page.keyboard.press("y");
  await expect(page.getByRole("radio", { name: /Yes$/ })).toHaveAttribute("aria-checked", "true");
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("progress-text")).toHaveText("1 / 2 items done · 1 by you");

  const detail = await json<{ perReviewer: { reviewer: string; done: number }[] }>(await api.get(`/api/labelling/queues/${queue.id}`));
  expect(detail.perReviewer).toEqual([expect.objectContaining({ reviewer: reviewer.email, done: 1 })]);
  await api.dispose();
});

test("a viewer sees no alias-move button, and the API refuses the move with 403", async ({ page, playwright, baseURL }) => {
  const api = await adminApi(playwright, baseURL);
  const name = `e2e-viewer-${stamp()}`;
  await json(await api.post("/api/registered", { data: { kind: "prompts", name, template: { user: "Hello {{who}}" } } }));
  await json(await api.post(`/api/registered/${name}/aliases`, { data: { alias: "staging", version: 1 } }));
  const viewer = await createUser(api, "viewer");

  await signIn(page, viewer.email, viewer.password);
  await page.goto(`/registry/prompts/${name}`);
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  await expect(page.getByText("@staging").first()).toBeVisible();
  await expect(page.getByRole("button", { name: "Move @staging" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Set alias" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Delete" })).toHaveCount(0);
  await expect(page.getByRole("link", { name: "New version" })).toHaveCount(0);
  // Only admins see the account areas; a viewer has just their own API keys.
  await expect(page.getByRole("list", { name: "Account" }).getByRole("link")).toHaveText(["API keys"]);
  // An admin page by its URL sends them to the overview, which says why.
  await page.goto("/admin/users");
  await expect(page).toHaveURL(/\/\?denied=1$/);
  await expect(page.getByText("Your role may not open that page")).toBeVisible();

  // The API enforces the role regardless of what the page shows (same session, same header the dashboard sends).
  const refused = await page.request.post(`/api/registered/${name}/aliases`, { data: { alias: "staging", version: 1 }, headers: CSRF });
  expect(refused.status()).toBe(403);
  expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("forbidden");
  await api.dispose();
});

test("the admin creates a key (its secret shown once), revokes it, and the revoked key gets 401", async ({ page, playwright, baseURL }) => {
  await signIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
  await page.getByRole("list", { name: "Account" }).getByRole("link", { name: "API keys" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "API keys" })).toBeVisible();
  const keyName = `e2e-key-${stamp()}`;
  const form = page.getByRole("form", { name: "New API key" });
  await form.getByLabel("Name").fill(keyName);
  await form.getByLabel("Role").selectOption("viewer");
  await form.getByRole("button", { name: "Create key" }).click();

  const dialog = page.getByRole("dialog", { name: `API key “${keyName}” created` });
  await expect(dialog.getByText("you will not see it again")).toBeVisible();
  const secret = await dialog.getByLabel("API key secret").inputValue();
  expect(secret).toMatch(/^llmops_/);
  await dialog.getByRole("button", { name: "Done" }).click();
  await expect(dialog).toBeHidden();
  const row = page.getByRole("row").filter({ hasText: keyName });
  await expect(row).toContainText(secret.slice(0, 8));
  await expect(row).not.toContainText(secret);
  await expect(row).toContainText("active");

  const withKey = await playwright.request.newContext({
    baseURL,
    storageState: SIGNED_OUT,
    extraHTTPHeaders: { authorization: `Bearer ${secret}` },
  });
  expect((await withKey.get("/api/experiments")).status()).toBe(200);

  await row.getByRole("button", { name: `Revoke ${keyName}` }).click();
  await page
    .getByRole("dialog", { name: `Revoke “${keyName}”?` })
    .getByRole("button", { name: "Revoke key" })
    .click();
  await expect(row).toContainText("revoked");
  // A revoked key stops working at once on this instance (other instances drop their cache within seconds).
  await expect.poll(async () => (await withKey.get("/api/experiments")).status(), { timeout: 15_000 }).toBe(401);
  await withKey.dispose();
});

test("a page on another origin changes nothing through the signed-in browser", async ({ page, playwright, baseURL }) => {
  const api = await adminApi(playwright, baseURL);
  const mlflow = async <T>(path: string, body: object) =>
    json<T>(await api.post(`/api/2.0/mlflow/${path}`, { data: body, headers: { "content-type": "application/json" } }));
  const { experiment_id } = await mlflow<{ experiment_id: string }>("experiments/create", { name: `e2e-csrf-${stamp()}` });
  const { run } = await mlflow<{ run: { info: { run_id: string } } }>("runs/create", { experiment_id });
  const runId = run.info.run_id;
  const name = `e2e-csrf-${stamp()}`;
  await json(await api.post("/api/registered", { data: { kind: "prompts", name, template: { user: "One {{x}}" } } }));
  await json(await api.post(`/api/registered/${name}/versions`, { data: { template: { user: "Two {{x}}" }, message: "second" } }));
  await json(await api.post(`/api/registered/${name}/aliases`, { data: { alias: "staging", version: 1 } }));

  await signIn(page, ADMIN_EMAIL, ADMIN_PASSWORD);
  expect((await json<{ caller: { kind: string } }>(await page.request.get("/api/auth/me"))).caller.kind).toBe("user");

  const base = baseURL!;
  // A plain HTML form POST (MLflow handlers once read the query string when the body was empty),
  // and `no-cors` fetches with a text/plain body that happens to be JSON: the two requests a page
  // on any origin can send with the user's cookie and without a CORS preflight.
  const html = `<!doctype html><title>waiting</title>
<iframe name="sink1"></iframe><iframe name="sink2"></iframe>
<form id="f1" method="POST" target="sink1" action="${base}/api/2.0/mlflow/runs/delete?run_id=${runId}"><input name="run_id" value="${runId}"></form>
<form id="f2" method="POST" target="sink2" action="${base}/api/2.0/mlflow/experiments/delete?experiment_id=${experiment_id}"><input name="experiment_id" value="${experiment_id}"></form>
<script>
(async () => {
  const post = (body) => ({ method: "POST", mode: "no-cors", credentials: "include", headers: { "content-type": "text/plain;charset=json" }, body: JSON.stringify(body) });
  await Promise.allSettled([
    fetch(${JSON.stringify(`${base}/api/registered/${name}/aliases`)}, post({ alias: "staging", version: 2 })),
    fetch(${JSON.stringify(`${base}/api/2.0/mlflow/runs/delete`)}, post({ run_id: ${JSON.stringify(runId)} })),
    fetch(${JSON.stringify(`${base}/api/2.0/mlflow/experiments/delete`)}, post({ experiment_id: ${JSON.stringify(experiment_id)} })),
  ]);
  document.getElementById("f1").submit();
  document.getElementById("f2").submit();
  document.title = "sent";
})();
</script>`;
  const server: Server = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(html);
  });
  await new Promise<void>((resolve) => server.listen(CROSS_ORIGIN_PORT, "127.0.0.1", resolve));
  const answers: { url: string; status: number }[] = [];
  page.on("response", (res) => {
    // The forged writes only (not a dashboard read that may still be in flight).
    if (res.url().startsWith(`${base}/api/`) && res.request().method() === "POST") answers.push({ url: res.url(), status: res.status() });
  });
  try {
    await page.goto(`http://127.0.0.1:${CROSS_ORIGIN_PORT}/`);
    await expect(page).toHaveTitle("sent");
    // Three fetches and two form posts reached the app, and each was refused.
    await expect.poll(() => answers.length, { timeout: 15_000 }).toBeGreaterThanOrEqual(5);
    for (const answer of answers) expect(answer.status, answer.url).toBeGreaterThanOrEqual(400);
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  // Nothing changed.
  const stored = await json<{ run: { info: { lifecycle_stage: string } } }>(await api.get(`/api/2.0/mlflow/runs/get?run_id=${runId}`));
  expect(stored.run.info.lifecycle_stage).toBe("active");
  const experiment = await json<{ experiment: { lifecycle_stage: string } }>(
    await api.get(`/api/2.0/mlflow/experiments/get?experiment_id=${experiment_id}`),
  );
  expect(experiment.experiment.lifecycle_stage).toBe("active");
  const registered = await json<{ aliases: { alias: string; version: number }[] }>(await api.get(`/api/registered/${name}`));
  expect(registered.aliases).toEqual([{ alias: "staging", version: 1 }]);

  // The same session, from the dashboard's own origin with its header, may move the alias: only the forgery was refused.
  await page.goto(`/registry/prompts/${name}`);
  const moved = await page.request.post(`/api/registered/${name}/aliases`, { data: { alias: "staging", version: 2 }, headers: CSRF });
  expect(moved.status(), await moved.text()).toBe(200);
  await api.dispose();
});
