import { expect, test, type Page, type TestInfo } from "@playwright/test";

/**
 * From an inference: follow its links, give feedback, add it to a dataset, open it in the
 * playground; the variant page shows the variant's configuration.
 */
async function shot(page: Page, info: TestInfo, name: string) {
  const path = info.outputPath(`${name}.png`);
  await page.screenshot({ path, fullPage: true });
  await info.attach(name, { path, contentType: "image/png" });
}

test("feedback, add to a dataset and links from an inference", async ({ page, request }, info) => {
  test.setTimeout(120_000);
  const made = await request.post("/api/inference", {
    data: { function_name: "summarize", variant_name: "concise", input: { variables: { customer: "Cy", ticket: "Refund please." } } },
  });
  expect(made.status()).toBe(200);
  const { inference_id: id } = await made.json();
  await expect.poll(async () => (await request.get(`/api/inferences/${id}`)).status(), { timeout: 20_000 }).toBe(200);

  await page.goto(`/inferences/${id}`);
  const facts = page.getByRole("main");
  await expect(facts.getByRole("link", { name: "concise", exact: true })).toHaveAttribute("href", "/functions/summarize/variants/concise");
  await expect(facts.getByRole("link", { name: /^summarize\.concise\/\d+$/ })).toHaveAttribute(
    "href",
    /\/registry\/prompts\/summarize\.concise\/versions\/\d+/,
  );

  const feedback = page.getByRole("form", { name: "Give feedback" });
  await feedback.getByRole("button", { name: "Send feedback" }).click();
  await expect(feedback.getByText("Choose a metric.")).toBeVisible();
  await feedback.getByLabel("Metric (required)").selectOption("helpful");
  await feedback.getByLabel("Yes").check();
  await feedback.getByRole("button", { name: "Send feedback" }).click();
  await expect(feedback.getByRole("status")).toHaveText("Feedback recorded.");
  await expect(page.getByRole("table", { name: "Feedback on this inference and its episode" })).toContainText("helpful");

  const dataset = `e2e-inf-${Date.now()}`;
  const add = page.getByRole("form", { name: "Add to a dataset" });
  await add.getByLabel("Dataset (required)").fill(dataset);
  await add.getByRole("button", { name: "Add to dataset" }).click();
  await expect(add.getByRole("status")).toContainText(`${dataset} v1 (1 item)`);
  await shot(page, info, "inference-actions");

  await page.getByRole("link", { name: "Open in playground" }).click();
  await expect(page).toHaveURL(/\/playground\?fn=summarize&a=variant%3Aconcise/);

  await page.goto(`/inferences/${id}`);
  await page.getByRole("main").getByRole("link", { name: "concise", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "summarize / concise" })).toBeVisible({ timeout: 20_000 });
  const config = page.getByRole("region", { name: "Configuration" });
  await expect(config).toContainText("fast");
  await expect(config).toContainText("temperature = 0.2");
  await expect(config.getByRole("link", { name: /summarize\.concise\/\d+/ })).toBeVisible();
  await shot(page, info, "variant");
});
