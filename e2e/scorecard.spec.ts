import { expect, test, type Page } from "@playwright/test";

// Issue 19 on the demo workspace: the A/B scorecard's guardrail rows, a visible mark for a value
// alone in its bucket, and the function page's variant link to the variant's own page.
test.describe.configure({ mode: "serial" });

const FN = "summarize";

/** The demo seeder sends traffic in the background at start-up: wait for some of FN's. */
async function newestInference(page: Page): Promise<{ timestamp: number; variantName: string }> {
  let found: { timestamp: number; variantName: string } | undefined;
  await expect
    .poll(
      async () => {
        const res = await page.request.get(`/api/inferences?function=${FN}&range=30d`);
        const body = (await res.json()) as { items?: { timestamp: number; variantName: string }[] };
        found = body.items?.[0];
        return found !== undefined;
      },
      { timeout: 90_000, intervals: [1000] },
    )
    .toBe(true);
  return found!;
}

test("the A/B scorecard lists every guardrail with its unit and interval kind", async ({ page }, info) => {
  await newestInference(page);
  await page.goto(`/functions/${FN}/ab?range=30d`);
  const scorecard = page.getByRole("region", { name: "Scorecard" });
  await expect(scorecard).toBeVisible({ timeout: 30_000 });
  const table = scorecard.getByRole("table", { name: `Scorecard of ${FN} against concise` });
  const guardrails = table.locator("tbody tr[data-group=guardrail]");
  await expect(guardrails).toHaveCount(4);
  await expect(guardrails.locator("td:first-child > div:first-child")).toHaveText([
    /^cost per request/,
    /^latency p50/,
    /^latency p95/,
    /^error rate/,
  ]);
  for (const [key, unit] of [
    ["cost", "relative lift"],
    ["latency_p50", "relative lift"],
    ["latency_p95", "relative lift"],
    ["error_rate", "difference in percentage points"],
  ] as const) {
    const row = table.locator(`tr[data-row="${key}"]`);
    await expect(row).toContainText(`lower is better · ${unit}, 95% always-valid interval`);
    // Each treatment's cell has an interval or says there is too little data, never an open bound.
    for (const cell of await row.locator("td[data-status]").all()) {
      await expect(cell).toHaveText(/\[[^\]]+\]|too little data|not comparable/);
      await expect(cell).not.toContainText("∞");
    }
  }
  // The chosen metric leads the scorecard, and its interval is the main table's.
  await expect(table.locator("tbody tr").first()).toHaveAttribute("data-group", "primary");
  await expect(page.getByTestId("ab-effect-kind")).toHaveText(
    /^(difference in percentage points|difference, % of the control's mean|difference in the metric's units), 95% (always-valid interval|repeated confidence interval)$/,
  );
  await page.screenshot({ path: info.outputPath("scorecard.png"), fullPage: true });
});

test("a value alone in its bucket draws a visible dot", async ({ page }, info) => {
  test.setTimeout(240_000);
  await newestInference(page);
  // A range of one minute-long bucket that the rollups have traffic for: every variant's latency
  // series then has at most one value, which a line alone would not draw at all.
  let from = 0;
  await expect
    .poll(
      async () => {
        // Inferences at least two minutes old: the newest ones keep arriving while the demo seeds.
        const to = Date.now() - 2 * 60_000;
        const list = await page.request.get(`/api/inferences?function=${FN}&from=${to - 86_400_000}&to=${to}`);
        const items = ((await list.json()) as { items?: { timestamp: number }[] }).items ?? [];
        for (const minute of [...new Set(items.map((i) => Math.floor(i.timestamp / 60_000) * 60_000))].slice(0, 5)) {
          const res = await page.request.get(`/api/functions/${FN}?from=${minute}&to=${minute + 60_000}`);
          const report = (await res.json()) as { summary?: { requests: number }[] };
          if (report.summary?.some((s) => s.requests > 0)) {
            from = minute;
            return true;
          }
        }
        return false;
      },
      { timeout: 180_000, intervals: [2000] },
    )
    .toBe(true);
  await page.goto(`/functions/${FN}?from=${from}&to=${from + 60_000}`);
  const card = page.getByRole("region", { name: "Latency p95" });
  const dot = card.locator("circle.chart-dot").first();
  await expect(dot).toBeAttached({ timeout: 30_000 });
  await dot.scrollIntoViewIfNeeded();
  const box = await dot.boundingBox();
  expect(box?.width).toBeGreaterThanOrEqual(5);
  expect(box?.height).toBeGreaterThanOrEqual(5);
  // Pixel level: a dot is what is painted at its centre (no line or label covers it) and it is filled.
  const painted = await dot.evaluate((el) => {
    const r = el.getBoundingClientRect();
    const top = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
    const style = getComputedStyle(el);
    // Another series' dot at nearly the same value may be drawn over it: a dot is still what is painted there.
    const dotOnTop = top === el || (top instanceof SVGCircleElement && top.classList.contains("chart-dot"));
    return { onTop: dotOnTop, fill: style.fill, opacity: Number(style.opacity), visibility: style.visibility };
  });
  expect(painted.onTop).toBe(true);
  expect(painted.fill).not.toBe("none");
  expect(painted.opacity).toBeGreaterThan(0.5);
  expect(painted.visibility).toBe("visible");
  // And it paints pixels: the same spot with the dot hidden looks different.
  const clip = { x: box!.x - 2, y: box!.y - 2, width: box!.width + 4, height: box!.height + 4 };
  const shown = await page.screenshot({ clip });
  await dot.evaluate((el) => el.setAttribute("visibility", "hidden"));
  const hidden = await page.screenshot({ clip });
  await dot.evaluate((el) => el.removeAttribute("visibility"));
  expect(shown.equals(hidden)).toBe(false);
  await card.screenshot({ path: info.outputPath("one-point-bucket.png") });
  // The axis name is whole, with its unit.
  await expect(card.getByTestId("chart-y-label")).toHaveText("Latency (ms)");
});

test("the function page's variant link opens the variant's own page", async ({ page }, info) => {
  await newestInference(page);
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(`/functions/${FN}?range=30d`);
  const table = page.getByRole("table", { name: "Variants over the selected range" });
  // At 1440 px the columns of the demo's declared metrics are in view without scrolling. (Other
  // specs add feedback metrics of their own to this function; with enough of them the table scrolls.)
  const declared = ["helpful", "quality", "resolved", "demo_review.quality"];
  const fit = await table.evaluate((el, names) => {
    const headers = [...el.querySelectorAll("th")].filter((th) => names.some((n) => th.textContent?.startsWith(n)));
    return {
      found: headers.length,
      right: Math.max(...headers.map((th) => th.getBoundingClientRect().right)),
      visible: Math.min(el.parentElement!.getBoundingClientRect().right, window.innerWidth),
    };
  }, declared);
  expect(fit.found).toBe(declared.length);
  expect(fit.right).toBeLessThanOrEqual(fit.visible);
  await expect(table.getByRole("columnheader", { name: /^helpful/ })).toBeInViewport();
  await page.screenshot({ path: info.outputPath("function-1440.png"), fullPage: true });
  await table.getByRole("link", { name: "concise", exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/functions/${FN}/variants/concise`));
  const config = page.getByRole("region", { name: "Configuration" });
  for (const fact of ["Model", "Prompt version", "Parameters", "Weight"]) await expect(config).toContainText(fact);
  await expect(page.getByRole("region", { name: "Traffic and metrics" })).toBeVisible({ timeout: 30_000 });
});
