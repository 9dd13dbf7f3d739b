import { expect, test } from "@playwright/test";

/** The cost & usage page's numbers are the sums of the costs recorded on each inference of the range. */
test("cost page totals equal the sum of recorded costs", async ({ page, request }, info) => {
  test.setTimeout(120_000);
  const from = Date.now() - 5 * 60_000;
  const ids: string[] = [];
  for (const [i, body] of [
    { function_name: "summarize", input: { variables: { customer: "Di", ticket: "Where is my parcel?" } } },
    { function_name: "summarize", variant_name: "detailed", input: { variables: { customer: "Ed", ticket: "Charged twice." } } },
    { model_name: "smart", input: { messages: [{ role: "user", content: "Say hello" }] } },
  ].entries()) {
    const res = await request.post("/api/inference", { data: { ...body, tags: { e2e: `usage-${i}` } } });
    expect(res.status(), await res.text()).toBe(200);
    ids.push((await res.json()).inference_id);
  }
  const to = Date.now() + 60_000;
  for (const id of ids) await expect.poll(async () => (await request.get(`/api/inferences/${id}`)).status(), { timeout: 20_000 }).toBe(200);

  // Every inference of the same range, page by page, as the inference browser lists them.
  let sum = 0;
  let count = 0;
  let cursor: string | null = null;
  do {
    const res = await request.get(`/api/inferences?from=${from}&to=${to}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
    expect(res.status()).toBe(200);
    const body = (await res.json()) as { items: { cost: number }[]; next: string | null };
    sum += body.items.reduce((a, x) => a + x.cost, 0);
    count += body.items.length;
    cursor = body.next;
  } while (cursor);
  expect(count).toBeGreaterThanOrEqual(3);

  for (const by of ["function", "model", "variant", "day"]) {
    const usage = await (await request.get(`/api/usage?from=${from}&to=${to}&by=${by}`)).json();
    expect(usage.total.requests).toBe(count);
    expect(usage.total.cost).toBeCloseTo(sum, 9);
    expect(usage.rows.reduce((a: number, r: { cost: number }) => a + r.cost, 0)).toBeCloseTo(sum, 9);
  }

  await page.goto(`/usage?from=${from}&to=${to}&by=function`);
  const total = page.getByTestId("total-cost");
  await expect(total).toBeVisible();
  expect(Number(await total.getAttribute("data-value"))).toBeCloseTo(sum, 9);
  await expect(page.getByRole("table", { name: "Cost and usage by function" })).toContainText("llmops::model");
  await page.getByRole("tab", { name: "By model" }).click();
  await expect(page.getByRole("table", { name: "Cost and usage by model" })).toContainText("smart");
  // The overview leads with the last 24 hours' traffic, cost, error rate and feedback, then the stores.
  await page.goto("/");
  const day = page.getByRole("region", { name: "Last 24 hours" });
  await expect(day).toContainText("Requests");
  await expect(day).toContainText("Cost");
  await expect(day).toContainText("Error rate");
  await expect(day).toContainText("Feedback received");
  await page.goto(`/usage?from=${from}&to=${to}&by=model`);
  const path = info.outputPath("usage.png");
  await page.screenshot({ path, fullPage: true });
  await info.attach("usage", { path, contentType: "image/png" });
});
