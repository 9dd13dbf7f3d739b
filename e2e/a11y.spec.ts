import { expect, test, type Page, type TestInfo } from "@playwright/test";
import { AXE_TAGS, seriousAxeViolations, type AxeFinding } from "./fixtures/axe";
import { openSettled, screenshotName, waitForDemo } from "./fixtures/dashboard-pages";

/**
 * axe on states the page sweep (page-sweep.spec.ts, every dashboard page in both themes) does not
 * reach: a lineage node that does not exist, the demo queue's lineage three hops out, and the
 * labelling form's missing-field message. A serious or critical violation fails; screenshots are
 * kept in test-results as artifacts.
 */

async function check(
  page: Page,
  info: TestInfo,
  url: string,
  scheme: "light" | "dark",
): Promise<{ findings: AxeFinding[]; links: string[] }> {
  await page.emulateMedia({ colorScheme: scheme });
  await openSettled(page, url);
  await page.screenshot({ path: info.outputPath(`${scheme}`, `${screenshotName(url)}.png`), fullPage: true });
  const findings = await seriousAxeViolations(page, url, scheme);
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
    const form = await seriousAxeViolations(
      page,
      page.url(),
      "light",
      AXE_TAGS.filter((t) => t !== "best-practice"),
    );
    expect(form.map((v) => `${v.rule}: ${v.help}`)).toEqual([]);
  });
});
