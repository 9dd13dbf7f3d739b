import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type APIRequestContext, type Page, type TestInfo } from "@playwright/test";

/**
 * axe on every dashboard page, signed in as the admin (the project's storage state), in light and
 * dark: a serious or critical violation fails. The pages are read from app/(dashboard), so a new
 * page is checked without editing this file; a page with [segments] is visited through a link
 * found on the pages already visited (the demo data provides them), and one never linked fails.
 * A screenshot of every page is kept in test-results as an artifact.
 */

const DASHBOARD = path.join(process.cwd(), "app", "(dashboard)");
const BLOCKING = new Set(["serious", "critical"]);

/** Route patterns of every page.tsx under app/(dashboard), e.g. "/experiments/[id]". */
function dashboardRoutes(dir = DASHBOARD, prefix = ""): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) {
      // Route groups "(x)" add nothing to the URL; private "_x" folders are not routes.
      if (entry.startsWith("_")) continue;
      out.push(...dashboardRoutes(full, entry.startsWith("(") ? prefix : `${prefix}/${entry}`));
    } else if (entry === "page.tsx") out.push(prefix || "/");
  }
  return out;
}

const isDynamic = (route: string) => route.includes("[");
/** "/experiments/[id]/runs/[runId]" → "/experiments/[id]": the page one dynamic segment up. */
const parentRoute = (route: string) => {
  const parts = route.split("/");
  const last = parts.findLastIndex(
    (p, i) => p.startsWith("[") && i < parts.length - 1 && parts.slice(i + 1).some((q) => q.startsWith("[")),
  );
  return last > 0 ? parts.slice(0, last + 1).join("/") : undefined;
};
const routeRegex = (route: string) =>
  new RegExp(`^${route.replace(/[.*+?^${}()|\\]/g, "\\$&").replace(/\\?\[[^\]]+\\?\]/g, "[^/?#]+")}(?:[?#].*)?$`);

async function waitForDemo(request: APIRequestContext) {
  // The labelling demo seeder runs after the gateway's and the tracking one, so its queue means data everywhere.
  await expect
    .poll(
      async () => ((await (await request.get("/api/labelling/queues")).json()) as { queues: { name: string }[] }).queues.map((q) => q.name),
      { timeout: 180_000, intervals: [1000] },
    )
    .toContain("Demo review");
}

interface Finding {
  url: string;
  scheme: string;
  rule: string;
  impact: string;
  help: string;
  targets: string[];
}

async function check(page: Page, info: TestInfo, url: string, scheme: "light" | "dark"): Promise<{ findings: Finding[]; links: string[] }> {
  await page.emulateMedia({ colorScheme: scheme });
  const response = await page.goto(url, { waitUntil: "domcontentloaded" });
  expect(response?.status(), `${url} answers`).toBeLessThan(400);
  // Let client components fetch and draw (polling pages never go fully idle, hence the cap).
  await page.waitForLoadState("networkidle", { timeout: 10_000 }).catch(() => undefined);
  await expect(page.locator('[aria-busy="true"], .animate-pulse'))
    .toHaveCount(0, { timeout: 10_000 })
    .catch(() => undefined);
  const name = url.replace(/[^a-z0-9]+/gi, "_").replace(/^_|_$/g, "") || "overview";
  await page.screenshot({ path: info.outputPath(`${scheme}`, `${name}.png`), fullPage: true });
  const result = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]).analyze();
  const findings = result.violations
    .filter((v) => BLOCKING.has(v.impact ?? ""))
    .map((v) => ({
      url,
      scheme,
      rule: v.id,
      impact: v.impact ?? "",
      help: v.help,
      targets: v.nodes.slice(0, 5).map((n) => n.target.join(" ")),
    }));
  const links = await page.locator("a[href^='/']").evaluateAll((as) => as.map((a) => a.getAttribute("href") ?? ""));
  return { findings, links };
}

/** Visits static pages first, then one link per [dynamic] page found on the pages seen so far. */
async function sweep(page: Page, info: TestInfo, scheme: "light" | "dark", extra: string[]) {
  const routes = dashboardRoutes();
  expect(routes.length, "pages found under app/(dashboard)").toBeGreaterThan(20);
  const seen = new Set<string>();
  const findings: Finding[] = [];
  const visit = async (url: string) => {
    const r = await test.step(`${scheme} ${url}`, () => check(page, info, url, scheme));
    findings.push(...r.findings);
    for (const link of r.links) seen.add(link);
  };
  const fixed = routes.filter((r) => !isDynamic(r));
  for (const route of fixed) await visit(route);
  // Pages in a populated state that link where nothing else does (a dataset's MLflow page).
  for (const url of extra) await visit(url);
  let pending = routes.filter(isDynamic);
  // "/datasets/upload" is its own page, not a dataset named "upload".
  const usable = (link: string) => !link.startsWith("/lineage") && !fixed.includes(link.split(/[?#]/)[0] ?? link);
  // Deeper pages are linked from shallower dynamic ones; when none seen so far links to one, open
  // another instance of its parent page (the first experiment may have no runs).
  const visited = new Set(fixed);
  for (let round = 0; round < 8 && pending.length > 0; round++) {
    const still: string[] = [];
    for (const route of pending) {
      const regex = routeRegex(route);
      const url = [...seen].find((link) => regex.test(link) && usable(link));
      if (url) {
        visited.add(url);
        await visit(url);
        continue;
      }
      still.push(route);
      const parent = parentRoute(route);
      const parentRegex = parent ? routeRegex(parent) : undefined;
      const another = parentRegex && [...seen].find((link) => parentRegex.test(link) && usable(link) && !visited.has(link));
      if (another) {
        visited.add(another);
        await visit(another);
      }
    }
    pending = still;
  }
  await info.attach(`axe-${scheme}.json`, { body: JSON.stringify(findings, null, 2), contentType: "application/json" });
  expect.soft(pending, "dashboard pages no visited page links to (add demo data or a link)").toEqual([]);
  expect(findings, findings.map((f) => `${f.url} [${f.impact}] ${f.rule}: ${f.help} — ${f.targets.join(" | ")}`).join("\n")).toEqual([]);
}

test.describe("accessibility", () => {
  let extra: string[] = [];
  test.beforeEach(async ({ request }) => {
    test.setTimeout(900_000);
    await waitForDemo(request);
    const { queues } = (await (await request.get("/api/labelling/queues")).json()) as { queues: { id: string; name: string }[] };
    const demo = queues.find((q) => q.name === "Demo review");
    extra = [`/lineage?node=${encodeURIComponent(`queue:${demo?.id}`)}&depth=1`];
  });

  test("every dashboard page has no serious or critical axe violation, light theme", async ({ page }, info) => {
    await page.setViewportSize({ width: 1440, height: 900 });
    await sweep(page, info, "light", extra);
  });

  test("every dashboard page has no serious or critical axe violation, dark theme", async ({ page }, info) => {
    await page.setViewportSize({ width: 1440, height: 900 });
    await sweep(page, info, "dark", extra);
  });

  test("the unknown lineage node and the labelling form's missing-field message are accessible too", async ({ page, request }, info) => {
    const lineage = await check(page, info, "/lineage?node=run%3Anope", "light");
    await expect(page.getByRole("status").filter({ hasText: "Not found" })).toContainText("There is no run nope");
    await expect(page.locator("a[data-node]")).toHaveCount(0);
    expect(lineage.findings).toEqual([]);

    const { queues } = (await (await request.get("/api/labelling/queues")).json()) as { queues: { id: string; name: string }[] };
    const demo = queues.find((q) => q.name === "Demo review");
    // The demo queue three hops out (about 150 nodes): grouped, with no label drawn over another.
    const deep = await check(page, info, `/lineage?node=${encodeURIComponent(`queue:${demo?.id}`)}&depth=3`, "light");
    await expect(page.getByRole("group", { name: /^Lineage graph of .*Demo review/ })).toBeVisible();
    await expect(page.locator(".lineage-group").first()).toBeVisible();
    expect(deep.findings).toEqual([]);
    await page.locator(".lineage-node").first().focus();
    const boxes = await page
      .locator(".lineage-edge-label rect")
      .evaluateAll((rects) => rects.map((r) => r.getBoundingClientRect().toJSON()));
    for (const [i, a] of boxes.entries())
      for (const b of boxes.slice(i + 1))
        expect(a.right <= b.left || b.right <= a.left || a.bottom <= b.top || b.bottom <= a.top, "edge labels overlap").toBe(true);
    await page.screenshot({ path: info.outputPath("light", "lineage-demo-queue-depth3.png"), fullPage: true });

    await page.goto(`/labelling/${demo?.id}/review`);
    await expect(page.getByText(/^Item \d+$/)).toBeVisible();
    await page.keyboard.press("Enter");
    await expect(page.getByRole("alert").filter({ hasText: "required" })).toHaveText(
      /required fields? (is|are) empty: .*Nothing was saved\./,
    );
    await page.screenshot({ path: info.outputPath("light", "labelling-missing-fields.png"), fullPage: true });
    const result = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
    expect(result.violations.filter((v) => BLOCKING.has(v.impact ?? "")).map((v) => `${v.id}: ${v.help}`)).toEqual([]);
  });
});
