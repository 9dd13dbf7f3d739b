import { expect, test, type APIRequestContext, type Page, type TestInfo } from "@playwright/test";
import { seriousAxeViolations, type AxeFinding } from "./fixtures/axe";
import { extraPages, openSettled, screenshotName, sweepDashboard, untilNothingLoads, waitForDemo } from "./fixtures/dashboard-pages";
import { findClippedText, findOverlappingText, findPageOverflow, type ClippedText } from "./fixtures/text-clipping";

/**
 * Every page under app/(dashboard) (a [dynamic] one through a link the demo data provides), signed
 * in as the admin, checked in four views: 1440×900 and 390×844, light and dark.
 *
 * - **axe** (issue 9, issue 19), at 1440 px in both themes: a serious or critical violation fails.
 * - **No clipped text** (issue 19) in any of the four views, checked in the page by findClippedText
 *   (see there what counts as clipped and what does not: a table scrolling in its own labelled box,
 *   an ellipsis with the full text in a title). Canvas charts have no text to check; their HTML
 *   captions and legends are. Nor may a page be wider than the viewport: on a phone, what sticks out
 *   is off screen until one scrolls the whole page sideways. Nor may chart text be drawn over other
 *   chart text (findOverlappingText).
 *
 * A page is loaded once, at 1440 px in light, then switched in place to dark, to 390 px, and back
 * to light, as a user's browser would when the system theme changes or a window is resized: the
 * charts must follow without a reload. A full-page screenshot of every view, clipped text outlined
 * in red, is kept in test-results as an artifact, and the findings as JSON.
 */

const VIEWPORTS = [
  { name: "1440", width: 1440, height: 900 },
  { name: "390", width: 390, height: 844 },
] as const;

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
type View = { viewport: (typeof VIEWPORTS)[number]; scheme: "light" | "dark" };
const viewName = (v: View) => `${v.viewport.name}-${v.scheme}`;
/** The order a page goes through: one change at a time, so each view is reached as a user would. */
const VIEWS: View[] = [
  { viewport: VIEWPORTS[0], scheme: "light" },
  { viewport: VIEWPORTS[0], scheme: "dark" },
  { viewport: VIEWPORTS[1], scheme: "dark" },
  { viewport: VIEWPORTS[1], scheme: "light" },
];

/** Switches the open page to a view as the app's own theme toggle and a window resize would. */
async function enterView(page: Page, view: View) {
  await page.setViewportSize({ width: view.viewport.width, height: view.viewport.height });
  await page.emulateMedia({ colorScheme: view.scheme });
  await page.evaluate((dark) => document.documentElement.classList.toggle("dark", dark), view.scheme === "dark");
  // Resize observers and theme observers run, then React and the charts draw again.
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, 50)))));
  await untilNothingLoads(page);
}

async function checkPage(page: Page, info: TestInfo, url: string) {
  const clipped: Record<string, Finding[]> = {};
  const axe: AxeFinding[] = [];
  await page.setViewportSize({ width: VIEWS[0]!.viewport.width, height: VIEWS[0]!.viewport.height });
  await page.emulateMedia({ colorScheme: VIEWS[0]!.scheme });
  await openSettled(page, url);
  const links = await page.locator("a[href^='/']").evaluateAll((as) => as.map((a) => a.getAttribute("href") ?? ""));
  for (const view of VIEWS) {
    await enterView(page, view);
    const dir = viewName(view);
    const found = [
      ...(await page.evaluate(findClippedText)),
      ...(await page.evaluate(findOverlappingText)),
      ...(await page.evaluate(findPageOverflow)),
    ];
    clipped[dir] = found.map((c) => ({ url, ...c }));
    await page.screenshot({
      path: info.outputPath(dir, `${screenshotName(url)}.png`),
      fullPage: true,
      style: "[data-clipped] { outline: 2px solid red !important; outline-offset: 1px; }",
    });
    if (view.viewport === VIEWPORTS[0]) axe.push(...(await seriousAxeViolations(page, url, view.scheme)));
  }
  return { clipped, axe, links };
}

test.describe("every dashboard page", () => {
  let extra: string[] = [];
  test.beforeEach(async ({ request }) => {
    test.setTimeout(1_500_000);
    extra = [...extraPages(await waitForDemo(request)), ...(await comparePages(request))];
  });

  test("has no serious axe violation and no clipped text, at 1440 and 390 px, light and dark", async ({ page }, info) => {
    const clipped: Record<string, Finding[]> = Object.fromEntries(VIEWS.map((v) => [viewName(v), []]));
    const axe: AxeFinding[] = [];
    const pending = await sweepDashboard(async (url) => {
      const r = await test.step(url, () => checkPage(page, info, url));
      for (const [dir, found] of Object.entries(r.clipped)) clipped[dir]!.push(...found);
      axe.push(...r.axe);
      return r.links;
    }, extra);
    for (const [dir, findings] of Object.entries(clipped))
      await info.attach(`clipping-${dir}.json`, { body: JSON.stringify(findings, null, 2), contentType: "application/json" });
    await info.attach("axe.json", { body: JSON.stringify(axe, null, 2), contentType: "application/json" });
    expect.soft(pending, "dashboard pages no visited page links to (add demo data or a link)").toEqual([]);
    expect
      .soft(axe, axe.map((f) => `${f.url} (${f.scheme}) [${f.impact}] ${f.rule}: ${f.help} — ${f.targets.join(" | ")}`).join("\n"))
      .toEqual([]);
    const all = Object.entries(clipped).flatMap(([dir, findings]) => findings.map((f) => ({ dir, ...f })));
    expect(all, all.map((f) => `${f.dir} ${f.url}: "${f.text}" ${f.where}: ${f.reason}`).join("\n")).toEqual([]);
  });
});

test("the sweep's checks find what they look for, and only that", async ({ page }) => {
  await page.setViewportSize({ width: 800, height: 600 });
  await page.setContent(`<!doctype html><html><body style="margin:0;font:14px sans-serif">
    <table><tr>
      <td><div style="width:40px;overflow:hidden;white-space:nowrap">cut-without-ellipsis</div></td>
      <td><div title="cut-with-ellipsis-and-title" style="width:40px;overflow:hidden;white-space:nowrap;text-overflow:ellipsis">cut-with-ellipsis-and-title</div></td>
      <td>fits</td>
    </tr></table>
    <svg width="200" height="100" aria-label="chart">
      <text x="190" y="20">outside-the-svg</text>
      <text x="10" y="50">first-label</text><text x="20" y="52">second-label</text>
      <text x="10" y="80">halo</text><text x="10" y="80">halo</text>
      <text x="10" y="96">tick-a</text><text x="70" y="96">tick-b</text>
    </svg>
    <div style="width:1200px">wider-than-the-page</div>
  </body></html>`);
  const clipped = await page.evaluate(findClippedText);
  expect(clipped.map((c) => c.text).sort()).toEqual(["cut-without-ellipsis", "outside-the-svg"]);
  const overlaps = await page.evaluate(findOverlappingText);
  expect(overlaps.map((o) => `${o.text} / ${o.reason.replace(/ \(.*/, "")}`)).toEqual(["first-label / drawn over «second-label»"]);
  const overflow = await page.evaluate(findPageOverflow);
  expect(overflow.map((o) => o.text)).toEqual(["wider-than-the-page"]);
});
