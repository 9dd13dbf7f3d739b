import { expect, test, type Page, type TestInfo } from "@playwright/test";

/**
 * Edit and try: create a prompt, edit it into a new version (word-level diff, detected variables,
 * commit message), run the new version in the playground through the gateway (streamed, with cost
 * and latency), save the answer as a dataset item, compare two side by side, and create, describe
 * and delete a registered model. Every page is kept as a screenshot.
 */
async function shot(page: Page, info: TestInfo, name: string) {
  const path = info.outputPath(`${name}.png`);
  await page.screenshot({ path, fullPage: true });
  await info.attach(name, { path, contentType: "image/png" });
}

const stamp = Date.now();
const prompt = `e2e-greet-${stamp}`;
const dataset = `e2e-pg-${stamp}`;

test("edit a prompt into a new version, run it in the playground, save the answer as a dataset item", async ({ page, request }, info) => {
  test.setTimeout(180_000);
  await page.goto("/registry");
  await page.getByRole("button", { name: "New prompt or model" }).click();
  const form = page.getByRole("form", { name: "New prompt or model" });
  await form.getByRole("button", { name: "Create" }).click();
  await expect(form.getByRole("alert")).toHaveText("A name is required.");
  await form.getByLabel("Name (required)").fill(prompt);
  await form.getByLabel(/First version's user template/).fill("Summarise this ticket: {{ticket}}");
  await form.getByRole("button", { name: "Create" }).click();
  await expect(page.getByRole("heading", { level: 1, name: prompt })).toBeVisible({ timeout: 20_000 });

  await page.getByRole("link", { name: "New version" }).click();
  await expect(page.getByRole("heading", { level: 1, name: `New version of ${prompt}` })).toBeVisible();
  const user = page.getByLabel("User template");
  await expect(user).toHaveValue("Summarise this ticket: {{ticket}}");
  await user.fill("Summarise this ticket from {{customer}} briefly: {{ticket}}");
  await expect(page.getByTestId("detected-variables")).toHaveText("{{customer}} {{ticket}}");
  await expect(page.getByText("added: customer")).toBeVisible();
  await expect(page.getByTestId("word-diff").locator("ins")).toContainText(["from {{customer}} briefly"]);
  await page.getByRole("button", { name: "Save as v2" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Write what changed" })).toBeVisible();
  await page.getByLabel("Commit message (required)").fill("Name the customer");
  await shot(page, info, "prompt-editor");
  await page.getByRole("button", { name: "Save as v2" }).click();
  await expect(page.getByRole("heading", { level: 1, name: `${prompt} v2` })).toBeVisible({ timeout: 20_000 });
  await expect(page.getByText("Name the customer")).toBeVisible();

  await page.goto(`/playground?fn=summarize&a=${encodeURIComponent(`prompt:${prompt}/2`)}`);
  await expect(page.getByLabel("Prompt version")).toHaveValue(`${prompt}/2`);
  const run = page.getByRole("button", { name: "Run", exact: true });
  await expect(page.getByLabel("{{ticket}} (required)")).toBeVisible();
  await expect(run).toBeDisabled();
  await page.getByLabel("{{customer}} (required)").fill("Ada");
  await page.getByLabel("{{ticket}} (required)").fill("My invoice is wrong twice.");
  await run.click();
  const result = page.getByTestId("result-Answer");
  await expect(result.getByTestId("run-figures")).toBeVisible({ timeout: 30_000 });
  await expect(result.getByText(`playground.${prompt}.2`)).toBeVisible();
  await expect(result.locator("pre")).not.toHaveText("…");
  await expect(result.getByTestId("run-figures")).toContainText(/\d+ ms/);
  await expect(result.getByTestId("run-figures")).toContainText("$");
  const answer = (await result.locator("pre").textContent())!;
  await result.getByLabel("Dataset (required)").fill(dataset);
  await result.getByRole("button", { name: "Save as dataset item" }).click();
  await expect(result.getByRole("status")).toContainText(`${dataset} v1`);
  await shot(page, info, "playground-run");

  const saved = await (await request.get(`/api/datasets/${dataset}/versions/1`)).json();
  expect(saved.items).toHaveLength(1);
  expect(saved.items[0].expectedOutput).toBe(answer);
  expect(JSON.parse(saved.items[0].input)).toEqual({ variables: { customer: "Ada", ticket: "My invoice is wrong twice." } });

  // The run is a recorded inference, tagged as playground traffic.
  const inferenceId = saved.items[0].inferenceId as string;
  await expect.poll(async () => (await request.get(`/api/inferences/${inferenceId}`)).status(), { timeout: 20_000 }).toBe(200);
  const inference = await (await request.get(`/api/inferences/${inferenceId}`)).json();
  expect(JSON.stringify(inference)).toContain("playground");

  // Start an evaluation carries the function, prompt version and dataset.
  await result.getByRole("link", { name: "Start an evaluation" }).click();
  await expect(page).toHaveURL(/\/evaluations\/new\?function=summarize/);
  await expect(page.getByLabel(/Also try a prompt version/)).toHaveValue(`prompts:/${prompt}/2`);
});

test("run two variants side by side", async ({ page }, info) => {
  await page.goto("/playground?fn=summarize&a=variant%3Aconcise&b=variant%3Adetailed");
  await page.getByLabel("{{customer}} (required)").fill("Bo");
  await page.getByLabel("{{ticket}} (required)").fill("The app logs me out.");
  await page.getByLabel("{{ticket}} (required)").press("Control+Enter");
  for (const side of ["A", "B"]) {
    await expect(page.getByTestId(`result-${side}`).getByTestId("run-figures")).toBeVisible({ timeout: 30_000 });
  }
  await expect(page.getByTestId("result-A")).toContainText("concise");
  await expect(page.getByTestId("result-B")).toContainText("detailed");
  await shot(page, info, "playground-side-by-side");
});

test("create, describe and delete a registered model", async ({ page }, info) => {
  const model = `e2e-model-${stamp}`;
  await page.goto("/registry?kind=models");
  await page.getByRole("button", { name: "New prompt or model" }).click();
  const form = page.getByRole("form", { name: "New prompt or model" });
  await form.getByLabel("Kind").selectOption("models");
  await form.getByLabel("Name (required)").fill(model);
  await form.getByRole("button", { name: "Create" }).click();
  await expect(page.getByRole("heading", { level: 1, name: model })).toBeVisible();
  await page.getByRole("button", { name: "Edit description" }).click();
  await page.getByRole("form", { name: "Description" }).getByLabel("Description").fill("Scores support answers");
  await page.getByRole("button", { name: "Save description" }).click();
  await expect(page.getByText("Scores support answers")).toBeVisible();
  await shot(page, info, "model-described");
  await page.getByRole("button", { name: "Delete" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Delete" }).click();
  await expect(page).toHaveURL(/\/registry\?kind=models/);
  await expect(page.getByRole("link", { name: model })).toHaveCount(0);
});
