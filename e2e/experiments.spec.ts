import { expect, test, type Page, type TestInfo } from "@playwright/test";

/** Create an experiment and a run from the dashboard, then rename, annotate, tag, delete and restore the run. */
async function shot(page: Page, info: TestInfo, name: string) {
  const path = info.outputPath(`${name}.png`);
  await page.screenshot({ path, fullPage: true });
  await info.attach(name, { path, contentType: "image/png" });
}

test("create, rename, annotate, tag, delete and restore a run", async ({ page }, info) => {
  test.setTimeout(120_000);
  const name = `e2e-exp-${Date.now()}`;
  await page.goto("/experiments");
  await page.getByRole("button", { name: "New experiment" }).click();
  const create = page.getByRole("form", { name: "New experiment" });
  await create.getByRole("button", { name: "Create" }).click();
  await expect(create.getByText("A name is required.")).toBeVisible();
  await create.getByLabel("Experiment name (required)").fill(name);
  await create.getByRole("button", { name: "Create" }).click();
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible({ timeout: 20_000 });

  await page.getByRole("button", { name: "New run" }).click();
  await page.getByRole("form", { name: "New run" }).getByLabel("Run name (optional)").fill("first-try");
  await page.getByRole("form", { name: "New run" }).getByRole("button", { name: "Create" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "first-try" })).toBeVisible({ timeout: 20_000 });

  await page.getByRole("button", { name: "Rename" }).click();
  await page.getByLabel("New name (required)").fill("baseline");
  await page.getByRole("button", { name: "Save name" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "baseline" })).toBeVisible({ timeout: 20_000 });

  await page.getByRole("button", { name: "Add notes" }).click();
  await page.getByLabel("Notes text").fill("Baseline with the default prompt.");
  await page.getByRole("button", { name: "Save notes" }).click();
  await expect(page.getByTestId("notes")).toHaveText("Baseline with the default prompt.");

  await page.getByLabel("Tag key (required)").fill("stage");
  await page.getByLabel("Tag value").fill("draft");
  await page.getByRole("button", { name: "Add tag" }).click();
  await expect(page.getByRole("list", { name: "Tags" })).toContainText("stage= draft");
  await shot(page, info, "run-edited");

  await page.getByRole("button", { name: "Delete" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Delete" }).click();
  // The header's badge (the run's facts say "deleted" too, once they have reloaded).
  await expect(page.locator("header").getByText("deleted", { exact: true })).toBeVisible({ timeout: 20_000 });
  await page.getByRole("button", { name: "Restore" }).click();
  await expect(page.getByRole("button", { name: "Delete" })).toBeVisible({ timeout: 20_000 });

  // The experiment's runs table lists the renamed run.
  await page.getByRole("navigation", { name: "Breadcrumb" }).getByRole("link", { name }).click();
  await expect(page.getByRole("link", { name: "baseline", exact: true })).toBeVisible({ timeout: 20_000 });
  await shot(page, info, "experiment");
});
