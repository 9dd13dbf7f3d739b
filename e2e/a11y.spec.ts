import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page, type TestInfo } from "@playwright/test";
import { openSettled, screenshotName, waitForDemo } from "./fixtures/dashboard-pages";

/**
 * axe on states the page sweep (page-sweep.spec.ts, every dashboard page in both themes) does not
 * reach: a lineage node that does not exist, the demo queue's lineage three hops out, and the
 * labelling form's missing-field message. A serious or critical violation fails; screenshots are
 * kept in test-results as artifacts.
 */

const BLOCKING = new Set(["serious", "critical"]);

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
  await openSettled(page, url);
  await page.screenshot({ path: info.outputPath(`${scheme}`, `${screenshotName(url)}.png`), fullPage: true });
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

test.describe("accessibility", () => {
  test("the unknown lineage node and the labelling form's missing-field message are accessible too", async ({ page, request }, info) => {
    test.setTimeout(300_000);
    await waitForDemo(request);
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
