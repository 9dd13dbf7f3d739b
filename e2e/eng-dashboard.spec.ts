import { expect, test, type APIRequestContext, type Locator, type Page, type TestInfo } from "@playwright/test";

/**
 * The engineers' dashboard over a store seeded through the MLflow REST API of the running app:
 * browse an experiment, filter and sort its runs, open a run and see its chart, compare three
 * runs, move an alias, and follow an edge of a run's lineage. Each page is kept as a screenshot.
 */
interface Seeded {
  experimentId: string;
  experimentName: string;
  model: string;
  runs: Record<string, string>;
}

const STEPS = 60;

async function seed(request: APIRequestContext): Promise<Seeded> {
  const post = async (path: string, data: object) => {
    const res = await request.post(`/api/2.0/mlflow${path}`, { data });
    expect(res.status(), `${path}: ${await res.text()}`).toBe(200);
    return res.json();
  };
  const stamp = Date.now();
  const experimentName = `eng-e2e-${stamp}`;
  const { experiment_id: experimentId } = await post("/experiments/create", { name: experimentName });
  const specs = [
    { name: "alpha", model: "a", quality: 0.7 },
    { name: "bravo", model: "b", quality: 0.9 },
    { name: "charlie", model: "b", quality: 0.8 },
    { name: "delta", model: "c", quality: 0.6 },
  ];
  const runs: Record<string, string> = {};
  for (const [i, spec] of specs.entries()) {
    const start = 1_700_000_000_000 + i * 60_000;
    const { run } = await post("/runs/create", { experiment_id: experimentId, run_name: spec.name, start_time: start });
    runs[spec.name] = run.info.run_id;
    const metrics = Array.from({ length: STEPS }, (_, step) => [
      { key: "loss", value: 2 * Math.exp(-step / (10 * spec.quality)), timestamp: start + step * 1000, step },
      { key: "acc", value: spec.quality * (1 - Math.exp(-step / 10)), timestamp: start + step * 1000, step },
    ]).flat();
    await post("/runs/log-batch", {
      run_id: run.info.run_id,
      metrics,
      params: [
        { key: "model", value: spec.model },
        { key: "lr", value: String(0.001 * (i + 1)) },
      ],
      tags: [],
    });
    await post("/runs/update", { run_id: run.info.run_id, status: "FINISHED", end_time: start + STEPS * 1000 });
  }
  const { run: child } = await post("/runs/create", {
    experiment_id: experimentId,
    run_name: "bravo-child",
    tags: [{ key: "mlflow.parentRunId", value: runs.bravo }],
  });
  runs["bravo-child"] = child.run_id ?? child.info.run_id;
  const model = `eng-e2e-model-${stamp}`;
  await post("/registered-models/create", { name: model });
  await post("/model-versions/create", { name: model, source: `runs:/${runs.charlie}/model`, run_id: runs.charlie });
  await post("/model-versions/create", { name: model, source: `runs:/${runs.bravo}/model`, run_id: runs.bravo });
  await post("/registered-models/alias", { name: model, alias: "production", version: "1" });
  return { experimentId, experimentName, model, runs };
}

async function shot(page: Page, info: TestInfo, name: string) {
  const path = info.outputPath(`${name}.png`);
  await page.screenshot({ path, fullPage: true });
  await info.attach(name, { path, contentType: "image/png" });
}

let seeded: Seeded;

test.beforeAll(async ({ request }) => {
  seeded = await seed(request);
});

test("browse an experiment, filter and sort its runs", async ({ page }, info) => {
  await page.goto("/experiments");
  await page.getByLabel("Search experiments").fill(seeded.experimentName);
  // The search is committed to the URL after typing pauses; wait for it, so that the commit
  // cannot land in the middle of the click's navigation below.
  await expect(page).toHaveURL(new RegExp(`q=${seeded.experimentName}`));
  const link = page.getByRole("link", { name: seeded.experimentName });
  await expect(link).toBeVisible();
  await expect(
    page
      .getByRole("row", { name: new RegExp(seeded.experimentName) })
      .getByRole("cell")
      .nth(2),
  ).toHaveText("5");
  await shot(page, info, "experiments");
  await link.click();
  await expect(page.getByRole("heading", { level: 1, name: seeded.experimentName })).toBeVisible();
  const status = page.getByRole("status").filter({ hasText: /Runs|No runs/ });
  await expect(status).toHaveText(/Runs 1–5 of 5/);
  await expect(page.getByRole("button", { name: /Show 1 child runs of bravo/ })).toBeVisible();

  // A filter the API rejects is explained before it is sent.
  const filter = page.getByLabel(/Filter runs/);
  await filter.fill("params.model = b");
  await expect(page.getByRole("alert").filter({ hasText: "not quoted" })).toContainText("Quote text values");
  await filter.fill("params.model = 'b'");
  await filter.press("Enter");
  await expect(page).toHaveURL(/filter=params\.model/);
  await expect(status).toHaveText(/Runs 1–2 of 2/);
  const names = page.getByRole("table", { name: "Runs" }).locator("tbody tr td:nth-child(2) a");
  await expect(names).toHaveText(["charlie", "bravo"]); // newest first

  // Sort on a metric column (descending first for numbers): bravo has the best accuracy.
  await page.getByRole("columnheader", { name: "acc" }).getByRole("button").click();
  await expect(page).toHaveURL(/sort=metric%3Aacc/);
  await expect(names).toHaveText(["bravo", "charlie"]);
  await page.getByRole("columnheader", { name: "acc" }).getByRole("button").click();
  await expect(names).toHaveText(["charlie", "bravo"]);
  await shot(page, info, "runs-filtered-sorted");

  // The state is in the URL: a reload shows the same table.
  await page.reload();
  await expect(names).toHaveText(["charlie", "bravo"]);
  await expect(page.getByLabel(/Filter runs/)).toHaveValue("params.model = 'b'");
});

/**
 * Pixels of a history chart's canvas drawn in the colour of `swatch` (a legend or run chip's
 * background): the line of that run is on the canvas, in the colour the run has everywhere else.
 */
async function pixelsInColour(chart: Locator, swatch: Locator): Promise<number> {
  const colour = await swatch.evaluate((el) => getComputedStyle(el).backgroundColor);
  return chart.locator("canvas").evaluate((canvas: HTMLCanvasElement, css) => {
    const probe = document.createElement("canvas").getContext("2d")!;
    probe.fillStyle = css;
    probe.fillRect(0, 0, 1, 1);
    const [r, g, b] = probe.getImageData(0, 0, 1, 1).data;
    const data = canvas.getContext("2d")!.getImageData(0, 0, canvas.width, canvas.height).data;
    let n = 0;
    for (let i = 0; i < data.length; i += 4)
      if (data[i + 3]! > 200 && Math.abs(data[i]! - r!) + Math.abs(data[i + 1]! - g!) + Math.abs(data[i + 2]! - b!) < 24) n += 1;
    return n;
  }, colour);
}

test("open a run and see its metric charts drawn", async ({ page }, info) => {
  await page.goto(`/experiments/${seeded.experimentId}`);
  await page.getByRole("link", { name: "bravo", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "bravo" })).toBeVisible();
  const loss = page.getByRole("figure", { name: "loss chart" });
  await expect(loss).toHaveAttribute("data-lines-drawn", "1");
  const legend = loss.getByRole("list", { name: "loss: runs" });
  await expect(legend.getByText("bravo")).toBeVisible();
  expect(await pixelsInColour(loss, legend.getByRole("listitem").filter({ hasText: "bravo" }).locator("span"))).toBeGreaterThan(100);
  await expect(page.getByRole("figure", { name: "acc chart" })).toHaveAttribute("data-lines-drawn", "1");
  // The text alternative of the canvas names the run and its values.
  await expect(loss.getByRole("list", { name: "loss: values by run" })).toContainText(`bravo: ${STEPS} values drawn, from 2 at step 0`);
  await expect(page.getByText(`${STEPS} points`).first()).toBeVisible();
  await expect(page.getByRole("link", { name: `Model ${seeded.model} v2` })).toBeVisible();
  await expect(page.getByRole("link", { name: "bravo-child" })).toBeVisible();
  // Log scale and smoothing are URL state too.
  await page.getByLabel("Log scale").click();
  await expect(page.getByLabel("Log scale")).toBeChecked();
  await expect(page).toHaveURL(/log=1/);
  await expect(loss).toHaveAttribute("data-lines-drawn", "1");
  // Smoothing (EMA) is off by default, URL state, and remembered in this browser for the next page.
  await expect(page.getByText("Smoothing (EMA): off")).toBeVisible();
  await page.getByLabel(/Smoothing/).fill("0.6");
  await expect(page).toHaveURL(/smooth=0\.6/);
  await expect(loss).toHaveAttribute("data-lines-drawn", "1");
  const withoutSmoothing = new URL(page.url());
  withoutSmoothing.searchParams.delete("smooth");
  await page.goto(withoutSmoothing.toString());
  await expect(page.getByText("Smoothing (EMA): 0.60")).toBeVisible();
  await expect(page.getByLabel(/Smoothing/)).toHaveValue("0.6");
  // Hovering the canvas tells the value under the pointer.
  await loss.locator(".u-over").hover({ position: { x: 200, y: 100 } });
  await expect(loss.getByText(/^bravo: [-\d.e+]+$/)).toBeVisible();
  await shot(page, info, "run-detail");
  await page.getByRole("tab", { name: /Parameters/ }).click();
  await expect(page.getByRole("table", { name: "Parameters" })).toContainText("model");
});

test("compare three runs", async ({ page }, info) => {
  await page.goto(`/experiments/${seeded.experimentId}`);
  for (const name of ["alpha", "bravo", "charlie"]) await page.getByLabel(`Select ${name}`, { exact: true }).check();
  await page.getByRole("link", { name: "Compare 3 runs" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Compare runs" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "3 runs" })).toBeVisible();
  const loss = page.getByRole("figure", { name: "loss chart" });
  await expect(loss).toHaveAttribute("data-lines-drawn", "3");
  // The legend names each run, and each run's line is drawn in its chip's colour.
  const chips = page.getByRole("region", { name: "3 runs" });
  const chipOf = (name: string) => chips.getByRole("listitem").filter({ hasText: name }).locator("span[aria-hidden]").first();
  for (const name of ["alpha", "bravo", "charlie"]) {
    await expect(loss.getByRole("list", { name: "loss: runs" }).getByText(name)).toBeVisible();
    expect(await pixelsInColour(loss, chipOf(name)), `${name}'s line in its chip's colour`).toBeGreaterThan(100);
  }
  // The canvas follows the theme toggle (the chips' colours differ by theme) and a narrower window.
  const alpha = chipOf("alpha");
  const lightColour = await alpha.evaluate((el) => getComputedStyle(el).backgroundColor);
  const toDark = page.getByRole("button", { name: "Switch to dark theme" });
  // The first theme in this context may be either: start from light.
  if (!(await toDark.isVisible())) await page.getByRole("button", { name: "Switch to light theme" }).click();
  await toDark.click();
  await expect.poll(() => alpha.evaluate((el) => getComputedStyle(el).backgroundColor)).not.toBe(lightColour);
  await expect.poll(() => pixelsInColour(loss, alpha), { message: "alpha's line redrawn in the dark theme's colour" }).toBeGreaterThan(100);
  await page.setViewportSize({ width: 390, height: 844 });
  await expect
    .poll(() =>
      loss.evaluate((figure) => figure.querySelector("canvas")!.getBoundingClientRect().right <= figure.getBoundingClientRect().right + 1),
    )
    .toBe(true);
  await expect.poll(() => pixelsInColour(loss, alpha), { message: "alpha's line drawn at 390 px" }).toBeGreaterThan(50);
  await shot(page, info, "compare-dark-390");
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.getByRole("button", { name: "Switch to light theme" }).click();
  await expect(page.getByRole("figure", { name: "Parallel coordinates" }).locator("polyline.parallel-line")).toHaveCount(3);
  await expect(page.getByRole("figure", { name: /against/ }).locator(".recharts-scatter-symbol")).toHaveCount(3);
  const table = page.getByRole("table", { name: /compared runs/ });
  await expect(table).toContainText("lr");
  await page.getByLabel("Differences only").click();
  await expect(page.getByLabel("Differences only")).not.toBeChecked();
  await expect(page).toHaveURL(/diff=0/);
  await shot(page, info, "compare");
});

test("move an alias after confirming", async ({ page, request }, info) => {
  await page.goto("/registry?kind=models");
  await page.getByRole("link", { name: seeded.model }).click();
  await expect(page.getByRole("heading", { level: 1, name: seeded.model })).toBeVisible();
  await expect(page.getByText("points at v1")).toBeVisible();
  await page.getByLabel("New version for @production").selectOption("2");
  await page.getByRole("button", { name: "Move @production" }).click();
  const dialog = page.getByRole("dialog", { name: "Move @production?" });
  await expect(dialog).toContainText("v1 → v2");
  await shot(page, info, "alias-confirm");
  await dialog.getByRole("button", { name: "Move alias" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText("points at v2")).toBeVisible();
  const res = await request.get(`/api/2.0/mlflow/registered-models/alias?name=${encodeURIComponent(seeded.model)}&alias=production`);
  expect((await res.json()).model_version.version).toBe("2");
  await shot(page, info, "registry-model");
});

test("open the lineage of a run and follow an edge", async ({ page }, info) => {
  await page.goto(`/experiments/${seeded.experimentId}/runs/${seeded.runs.bravo}`);
  await page.getByRole("main").getByRole("link", { name: "Lineage" }).click();
  await expect(page).toHaveURL(/\/lineage\?node=run/);
  const graph = page.getByRole("group", { name: /Lineage graph of bravo/ });
  await expect(graph).toBeVisible();
  await expect(graph.locator(`a[data-node="run:${seeded.runs["bravo-child"]}"]`)).toBeVisible();
  await expect(graph.locator(`a[data-node="model_version:${seeded.model}/2"]`)).toBeVisible();
  await shot(page, info, "lineage");
  await graph.locator(`a[data-node="experiment:${seeded.experimentId}"]`).click();
  await expect(page).toHaveURL(new RegExp(`/experiments/${seeded.experimentId}$`));
  await expect(page.getByRole("heading", { level: 1, name: seeded.experimentName })).toBeVisible();
});

test("the dashboard's JSON routes answer bad input with a 4xx that says what is wrong", async ({ request }) => {
  const bad = async (url: string, status: number, message: RegExp, init?: { method: "POST"; data: object }) => {
    const res = init ? await request.post(url, { data: init.data }) : await request.get(url);
    expect(res.status(), url).toBe(status);
    expect((await res.json()).error.message).toMatch(message);
  };
  await bad(`/api/experiments/runs?exp=${seeded.experimentId}&filter=${encodeURIComponent("params.model = b")}`, 400, /not quoted/);
  await bad(`/api/experiments/runs?exp=${seeded.experimentId}&sort=metric:acc&size=7`, 400, /page size must be 25, 50, 100 or 200/);
  await bad("/api/experiments/runs?exp=abc", 400, /experiment/i);
  await bad("/api/runs/not-a-run", 404, /not found/);
  await bad(`/api/runs/history?runs=${Array.from({ length: 201 }, (_, i) => `r${i}`).join(",")}&keys=loss`, 400, /1 to 200 run ids/);
  await bad("/api/registered/no-such-model-here", 404, /not found/);
  await bad(`/api/registered/${encodeURIComponent(seeded.model)}/aliases`, 400, /reserved/, {
    method: "POST",
    data: { alias: "latest", version: 1 },
  });
  await bad(`/api/registered/${encodeURIComponent(seeded.model)}/aliases`, 400, /version/, {
    method: "POST",
    data: { alias: "x", version: "two" },
  });
});
