import { expect, test, type APIRequestContext } from "@playwright/test";
import { ADMIN_EMAIL } from "./auth-fixtures";

/**
 * Labelling end to end, on the demo's gateway inferences: create a queue in the form, label three
 * items with the keyboard only, see the progress, then find the labels as feedback.
 */

async function waitForDemo(request: APIRequestContext) {
  // The labelling demo seeder runs after the gateway's, so its queue means inferences exist.
  await expect
    .poll(
      async () => ((await (await request.get("/api/labelling/queues")).json()) as { queues: { name: string }[] }).queues.map((q) => q.name),
      {
        timeout: 150_000,
        intervals: [1000],
      },
    )
    .toContain("Demo review");
}

test("create a queue, label three items from the keyboard, see progress and the labels as feedback", async ({ page, request }, info) => {
  test.setTimeout(240_000);
  await waitForDemo(request);
  const name = `E2E review ${Date.now().toString(36)}`;

  // One fixed window for both reads (the demo's virtual clock writes some feedback just ahead of now).
  const window = `from=${Date.now() - 30 * 86_400_000}&to=${Date.now() + 86_400_000}`;
  const abCount = async () => {
    const res = await request.get(`/api/functions/summarize/ab?metric=helpful&${window}`);
    expect(res.status()).toBe(200);
    return ((await res.json()) as { variants: { n: number }[] }).variants.reduce((sum, v) => sum + v.n, 0);
  };
  const abBefore = await abCount();

  await page.goto("/labelling/new");
  await page.getByLabel("Name", { exact: true }).fill(name);
  // Function, variant and metrics are pickers fed by the functions API.
  await page.getByLabel("Function", { exact: true }).selectOption("summarize");
  // Items nobody rated yet on `helpful`, so each label adds one observation to the A/B results.
  await page.getByLabel("Without feedback for metric", { exact: true }).selectOption("helpful");
  await page.getByLabel("Random sample").check();
  await page.getByLabel("Sample size").fill("5");
  await page.getByRole("button", { name: "Count matches" }).click();
  await expect(page.getByText(/inferences match; the queue would hold 5\./)).toBeVisible();
  const field = page.getByRole("listitem", { name: "Label field 1" });
  await field.getByLabel("Metric", { exact: true }).selectOption("helpful");
  await page.getByRole("button", { name: "Add a label field" }).click();
  const second = page.getByRole("listitem", { name: "Label field 2" });
  await second.getByLabel("Key").fill("note");
  await second.getByLabel("Type").selectOption("comment");
  await page.getByRole("button", { name: "Create queue" }).click();
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  const queueId = new URL(page.url()).pathname.split("/").pop()!;

  await page.getByRole("link", { name: "Start labelling" }).click();
  // The reviewer is the signed-in account (no name to type). From here on, only the keyboard.
  await expect(page.getByText(`Labelling as ${ADMIN_EMAIL}`)).toBeVisible();
  const progress = page.getByTestId("progress-text");
  await expect(progress).toHaveText("0 / 5 items done · 0 by you");
  await expect(page.getByText("variant hidden")).toBeVisible();
  const answers = ["y", "n", "y"];
  for (const [i, key] of answers.entries()) {
    await expect(page.getByText(`Item ${i + 1}`, { exact: true })).toBeVisible();
    // The function's input: its template variables.
    await expect(page.getByLabel("variables message", { exact: true })).toContainText("ticket: ");
    await page.keyboard.press(key);
    await expect(page.getByRole("radio", { name: key === "y" ? /Yes$/ : /No$/ })).toHaveAttribute("aria-checked", "true");
    if (i === 1) {
      await page.keyboard.press("c");
      await page.keyboard.type("Too vague");
      await page.keyboard.press("Escape");
    }
    await page.keyboard.press("Enter");
    await expect(progress).toHaveText(`${i + 1} / 5 items done · ${i + 1} by you`);
  }
  await page.screenshot({ path: info.outputPath("labelling.png"), fullPage: true });

  // Back shows the last labelled item with its label.
  await page.keyboard.press("b");
  await expect(page.getByText("already labelled: Enter saves your changes")).toBeVisible();
  await expect(page.getByRole("radio", { name: /Yes$/ })).toHaveAttribute("aria-checked", "true");

  // The queue page shows the progress per reviewer.
  await page.goto(`/labelling/${queueId}`);
  const perReviewer = page.getByRole("table", { name: "Progress per reviewer" });
  // Done 3 of every item (an open queue), skipped 0, and the fourth item held.
  await expect(perReviewer.getByRole("row").filter({ hasText: ADMIN_EMAIL }).getByRole("cell")).toHaveText([
    ADMIN_EMAIL,
    "3 / 5 · 60%",
    "3",
    "0",
    "1",
  ]);
  await expect(page.getByText("3 / 5 items done")).toBeVisible();

  // Save the labelled items as a dataset: the two judged good (the "no" has no corrected answer).
  const datasetName = `e2e-${queueId.slice(0, 8)}`;
  await page.getByLabel("Dataset name").fill(datasetName);
  await page.getByRole("button", { name: "Save version" }).click();
  const saved = page.getByRole("status").filter({ hasText: "Saved" });
  await expect(saved).toContainText("(2 items, digest");
  await saved.getByRole("link", { name: `${datasetName} v1` }).click();
  await expect(page.getByRole("heading", { level: 1, name: `${datasetName} v1` })).toBeVisible();
  await expect(page.getByRole("table", { name: "Items" }).getByRole("row")).toHaveCount(3);
  await expect(page).toHaveURL(new RegExp(`/datasets/${datasetName}/versions/1$`));
  const jsonl = await request.get(`/api/datasets/${datasetName}/versions/1?format=jsonl`);
  expect(jsonl.headers()["content-type"]).toContain("application/x-ndjson");
  expect((await jsonl.text()).trim().split("\n")).toHaveLength(2);
  // The old labelling URLs redirect to the datasets area (308 keeps the method).
  const old = await request.get(`/api/labelling/datasets/${datasetName}/versions/1?format=jsonl`, { maxRedirects: 0 });
  expect(old.status()).toBe(308);
  expect(old.headers().location).toBe(`/api/datasets/${datasetName}/versions/1?format=jsonl`);
  await page.goto(`/labelling/datasets/${datasetName}`);
  await expect(page).toHaveURL(new RegExp(`/datasets/${datasetName}$`));
  await page.screenshot({ path: info.outputPath("dataset.png"), fullPage: true });
  await page.goto(`/labelling/${queueId}`);

  // The labels through the API: the reviewer's items and their values, newest first.
  const seen: { inferenceId: string; values: Record<string, unknown> }[] = [];
  let before: number | undefined;
  for (let i = 0; i < 3; i++) {
    const res = await request.post(`/api/labelling/queues/${queueId}/previous`, {
      data: before ? { before } : {},
    });
    expect(res.status()).toBe(200);
    const { item } = (await res.json()) as { item: { claimId: number; inferenceId: string; values: Record<string, unknown> } };
    seen.push(item);
    before = item.claimId;
  }
  expect(seen.map((s) => s.values)).toEqual([{ good: true }, { good: false, note: "Too vague" }, { good: true }]);

  // On the inference page: the label as human feedback on the declared metric, and the comment.
  await page.goto(`/inferences/${seen[1]!.inferenceId}`);
  const feedback = page.getByRole("table", { name: "Feedback on this inference and its episode" });
  await expect(feedback.getByRole("row").filter({ hasText: "helpful" }).filter({ hasText: "human" })).toContainText("false");
  await expect(feedback.getByRole("row").filter({ hasText: "Too vague" })).toContainText("human");

  // In the A/B results: three more observations of `helpful` for the function's variants.
  // The A/B analysis clusters inference-level values by episode, so three labels add at least one
  // observation, and at most three.
  const abAfter = await abCount();
  expect(abAfter).toBeGreaterThan(abBefore);
  expect(abAfter).toBeLessThanOrEqual(abBefore + 3);
  await page.goto("/functions/summarize/ab?metric=helpful&range=30d");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await page.screenshot({ path: info.outputPath("ab.png"), fullPage: true });

  // Bad input is a 4xx that says what is wrong; labelling in another's name is refused.
  const bad = await request.post(`/api/labelling/queues/${queueId}/next`, { data: { reviewer: "someone-else" } });
  expect(bad.status()).toBe(403);
  expect(((await bad.json()) as { error: { message: string } }).error.message).toContain(`You label as ${ADMIN_EMAIL}`);
  const clash = await request.post("/api/labelling/queues", {
    data: { name: `${name} 2`, fields: [{ key: "q", type: "score", metric: "helpful" }], sample: { size: 2 } },
  });
  expect(clash.status()).toBe(400);
  expect(((await clash.json()) as { error: { message: string } }).error.message).toMatch(/declares as boolean/);
});

test("the demo queue shows two reviewers' agreement and its lineage to the saved dataset", async ({ page, request }, info) => {
  await waitForDemo(request);
  await page.goto("/labelling");
  await expect(page.getByRole("status")).toContainText("items done");
  await page.getByRole("link", { name: "Demo review", exact: true }).click();
  const agreement = page.getByRole("table", { name: /Inter-reviewer agreement per field/ });
  await expect(agreement.getByRole("row").filter({ hasText: "helpful" })).toContainText("Cohen");
  await expect(page.getByRole("table", { name: "Progress per reviewer" }).getByRole("row")).toHaveCount(3);
  await page.screenshot({ path: info.outputPath("demo-queue.png"), fullPage: true });
  const queueId = new URL(page.url()).pathname.split("/").pop()!;
  const graph = (await (await request.get(`/api/lineage?node=queue:${queueId}&depth=1`)).json()) as {
    edges: { source: string; relation: string }[];
  };
  expect(graph.edges).toContainEqual(expect.objectContaining({ source: `queue:${queueId}`, relation: "labelled_into" }));
});
