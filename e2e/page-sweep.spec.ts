import { expect, test, type APIRequestContext, type Page, type TestInfo } from "@playwright/test";
import { extraPages, openSettled, screenshotName, sweepDashboard, waitForDemo } from "./fixtures/dashboard-pages";
import { findClippedText, findPageOverflow, type ClippedText } from "./fixtures/text-clipping";

/**
 * Issue 19: no text in the dashboard's tables and charts is cut off, on a laptop (1440×900) and a
 * phone (390×844), light and dark. Every page under app/(dashboard) is visited (a [dynamic] one
 * through a link the demo data provides) and checked in the page by findClippedText (see there
 * what counts as clipped and what does not: a table scrolling in its own labelled box, an ellipsis
 * with the full text in a title). Canvas charts have no text to check; their HTML captions and
 * legends are. Nor may a page be wider than the viewport: on a phone, what sticks out is off screen
 * until one scrolls the whole page sideways. A full-page screenshot of every page, clipped text
 * outlined in red, is kept in test-results as an artifact, and the findings as JSON.
 */

const VIEWPORTS = [
  { name: "1440", width: 1440, height: 900 },
  { name: "390", width: 390, height: 844 },
] as const;
const SCHEMES = ["light", "dark"] as const;

/**
 * The two compare pages with something to compare (the sweep opens them bare): the three runs with
 * metrics of the experiment that has the most such runs, and the demo's two evaluation runs.
 */
async function comparePages(request: APIRequestContext): Promise<string[]> {
  const { experiments } = (await (await request.get("/api/2.0/mlflow/experiments/search?max_results=100")).json()) as {
    experiments: { experiment_id: string }[];
  };
  let best: string[] = [];
  for (const { experiment_id } of experiments) {
    const { runs } = (await (await request.get(`/api/experiments/runs?exp=${experiment_id}`)).json()) as {
      runs: { runId: string; metrics: Record<string, unknown> }[];
    };
    const measured = runs.filter((r) => Object.keys(r.metrics).length > 0).map((r) => r.runId);
    if (measured.length > best.length) best = measured;
  }
  expect(best.length, "an experiment with two runs with metrics").toBeGreaterThanOrEqual(2);
  // The demo's evaluation runs may still be running when its labelling queue appears.
  let demo: { id: string; name: string }[] = [];
  await expect
    .poll(
      async () => {
        const { runs } = (await (await request.get("/api/evaluations")).json()) as { runs: { id: string; name: string; status: string }[] };
        // Newest first: the older run (the configured prompt) is the baseline, as on the Evaluations page.
        demo = runs
          .filter((r) => r.name === "summarize on demo-tickets" && r.status === "finished")
          .slice(-2)
          .reverse();
        return demo.length;
      },
      { message: "the demo's two evaluation runs", timeout: 180_000, intervals: [1000] },
    )
    .toBe(2);
  return [
    `/experiments/compare?${best
      .slice(0, 3)
      .map((id) => `runs=${id}`)
      .join("&")}`,
    `/evaluations/compare?${demo.map((r) => `arms=${r.id}`).join("&")}`,
  ];
}

interface Finding extends ClippedText {
  url: string;
}

async function checkPage(page: Page, info: TestInfo, dir: string, url: string): Promise<{ findings: Finding[]; links: string[] }> {
  await openSettled(page, url);
  const clipped = [...(await page.evaluate(findClippedText)), ...(await page.evaluate(findPageOverflow))];
  await page.screenshot({
    path: info.outputPath(dir, `${screenshotName(url)}.png`),
    fullPage: true,
    style: "[data-clipped] { outline: 2px solid red !important; outline-offset: 1px; }",
  });
  const links = await page.locator("a[href^='/']").evaluateAll((as) => as.map((a) => a.getAttribute("href") ?? ""));
  return { findings: clipped.map((c) => ({ url, ...c })), links };
}

test.describe("text in tables and charts is never clipped", () => {
  let extra: string[] = [];
  test.beforeEach(async ({ request }) => {
    test.setTimeout(900_000);
    extra = [...extraPages(await waitForDemo(request)), ...(await comparePages(request))];
  });

  for (const viewport of VIEWPORTS)
    for (const scheme of SCHEMES)
      test(`every dashboard page at ${viewport.width}×${viewport.height}, ${scheme}`, async ({ page }, info) => {
        await page.setViewportSize({ width: viewport.width, height: viewport.height });
        await page.emulateMedia({ colorScheme: scheme });
        const dir = `${viewport.name}-${scheme}`;
        const findings: Finding[] = [];
        const pending = await sweepDashboard(async (url) => {
          const r = await test.step(`${dir} ${url}`, () => checkPage(page, info, dir, url));
          findings.push(...r.findings);
          return r.links;
        }, extra);
        await info.attach(`clipping-${dir}.json`, { body: JSON.stringify(findings, null, 2), contentType: "application/json" });
        expect.soft(pending, "dashboard pages no visited page links to (add demo data or a link)").toEqual([]);
        expect(findings, findings.map((f) => `${f.url}: "${f.text}" ${f.where}: ${f.reason}`).join("\n")).toEqual([]);
      });
});
