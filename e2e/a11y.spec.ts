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
async function sweep(page: Page, info: TestInfo, scheme: "light" | "dark") {
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
  let pending = routes.filter(isDynamic);
  // "/datasets/upload" is its own page, not a dataset named "upload".
  const usable = (link: string) => !link.startsWith("/lineage") && !fixed.includes(link.split(/[?#]/)[0] ?? link);
  // Deeper pages are linked from shallower dynamic ones, so repeat while links keep turning up.
  for (let round = 0; round < 4 && pending.length > 0; round++) {
    const still: string[] = [];
    for (const route of pending) {
      const regex = routeRegex(route);
      const url = [...seen].find((link) => regex.test(link) && usable(link));
      if (url) await visit(url);
      else still.push(route);
    }
    pending = still;
  }
  await info.attach(`axe-${scheme}.json`, { body: JSON.stringify(findings, null, 2), contentType: "application/json" });
  expect.soft(pending, "dashboard pages no visited page links to (add demo data or a link)").toEqual([]);
  expect(findings, findings.map((f) => `${f.url} [${f.impact}] ${f.rule}: ${f.help} — ${f.targets.join(" | ")}`).join("\n")).toEqual([]);
}

test.describe("accessibility", () => {
  test.beforeEach(async ({ request }) => {
    test.setTimeout(900_000);
    await waitForDemo(request);
  });

  test("every dashboard page has no serious or critical axe violation, light theme", async ({ page }, info) => {
    await page.setViewportSize({ width: 1440, height: 900 });
    await sweep(page, info, "light");
  });

  test("every dashboard page has no serious or critical axe violation, dark theme", async ({ page }, info) => {
    await page.setViewportSize({ width: 1440, height: 900 });
    await sweep(page, info, "dark");
  });

  test("the unknown lineage node and the labelling form's missing-field message are accessible too", async ({ page, request }, info) => {
    const lineage = await check(page, info, "/lineage?node=run%3Anope", "light");
    await expect(page.getByRole("status").filter({ hasText: "Not found" })).toContainText("There is no run nope");
    await expect(page.locator("a[data-node]")).toHaveCount(0);
    expect(lineage.findings).toEqual([]);

    const { queues } = (await (await request.get("/api/labelling/queues")).json()) as { queues: { id: string; name: string }[] };
    const demo = queues.find((q) => q.name === "Demo review");
    await page.goto(`/labelling/${demo?.id}/review`);
    await expect(page.getByText(/^Item \d+$/)).toBeVisible();
    await page.keyboard.press("Enter");
    await expect(page.getByRole("alert")).toHaveText(/required fields? (is|are) empty: .*Nothing was saved\./);
    await page.screenshot({ path: info.outputPath("light", "labelling-missing-fields.png"), fullPage: true });
    const result = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
    expect(result.violations.filter((v) => BLOCKING.has(v.impact ?? "")).map((v) => `${v.id}: ${v.help}`)).toEqual([]);
  });
});
