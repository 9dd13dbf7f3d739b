import { expect, test } from "@playwright/test";

const SECTIONS = [
  { label: "Experiments", path: "/experiments" },
  { label: "Prompts & Models", path: "/registry" },
  { label: "Functions & Variants", path: "/functions" },
  { label: "Inferences", path: "/inferences" },
  { label: "Traces", path: "/traces" },
  { label: "Labelling", path: "/labelling" },
  { label: "Datasets", path: "/datasets" },
  { label: "Evaluations", path: "/evaluations" },
  { label: "Lineage", path: "/lineage" },
];

test("overview shows both stores healthy on the embedded default", async ({ page }, info) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible();
  await expect(page.getByText("All stores healthy")).toBeVisible();
  const postgres = page.getByRole("region", { name: "Postgres status" });
  await expect(postgres.getByText("PGlite")).toBeVisible();
  await expect(postgres.getByText("healthy", { exact: true })).toBeVisible();
  const clickhouse = page.getByRole("region", { name: "ClickHouse status" });
  await expect(clickhouse.getByText("chDB")).toBeVisible();
  await expect(clickhouse.getByText(/\d+ of \d+ applied/)).toBeVisible();
  await page.screenshot({ path: info.outputPath("overview.png"), fullPage: true });
});

test("the sidebar reaches every section and marks the current one", async ({ page }, info) => {
  await page.goto("/");
  const nav = page.getByRole("navigation", { name: "Main" });
  for (const section of SECTIONS) {
    await nav.getByRole("link", { name: section.label, exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`${section.path}$`));
    await expect(page.getByRole("heading", { level: 1, name: section.label })).toBeVisible();
    await expect(nav.getByRole("link", { name: section.label, exact: true })).toHaveAttribute("aria-current", "page");
    // A placeholder (empty state) or, once the demo data is in, the section's table.
    await expect(page.getByRole("status").or(page.getByRole("table")).first()).toBeVisible();
    await page.screenshot({ path: info.outputPath(`${section.path.slice(1)}.png`) });
  }
  await nav.getByRole("link", { name: "Overview" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible();
});

test("the overview's area cards link to their sections", async ({ page }) => {
  await page.goto("/");
  await page
    .getByRole("main")
    .getByRole("link", { name: /Lineage/ })
    .click();
  await expect(page).toHaveURL(/\/lineage$/);
});

test("dark mode toggles, and survives a reload", async ({ page }) => {
  await page.emulateMedia({ colorScheme: "light" });
  await page.goto("/");
  const html = page.locator("html");
  await expect(html).not.toHaveClass(/dark/);
  await page.getByRole("button", { name: "Switch to dark theme" }).click();
  await expect(html).toHaveClass(/dark/);
  await page.reload();
  await expect(html).toHaveClass(/dark/);
  await expect(page.getByRole("button", { name: "Switch to light theme" })).toBeVisible();
  await page.getByRole("button", { name: "Switch to light theme" }).click();
  await expect(html).not.toHaveClass(/dark/);
});

test("an unknown address shows a not-found page with a way back", async ({ page }) => {
  const response = await page.goto("/no-such-page");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  await page.getByRole("link", { name: "Back to the overview" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible();
});

test("GET /api/health reports each store's kind, version and migrations", async ({ request }) => {
  const res = await request.get("/api/health");
  expect(res.status()).toBe(200);
  const body = await res.json();
  expect(body.status).toBe("ok");
  for (const [name, engine] of [
    ["postgres", "PGlite"],
    ["clickhouse", "chDB"],
  ] as const) {
    expect(body.stores[name]).toMatchObject({ ok: true, kind: "embedded", engine });
    expect(body.stores[name].version).toMatch(/^\d+\.\d+/);
    expect(body.stores[name].migrations.applied).toBe(body.stores[name].migrations.known);
  }
});

test("the app has an icon, linked from every page", async ({ page, request }) => {
  await page.goto("/");
  const href = await page.locator('link[rel="icon"]').first().getAttribute("href");
  expect(href).toMatch(/^\/icon\.svg/);
  const icon = await request.get(href!);
  expect(icon.status()).toBe(200);
  expect(icon.headers()["content-type"]).toContain("image/svg+xml");
});
