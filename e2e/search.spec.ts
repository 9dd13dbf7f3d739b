import { expect, test, type Page, type TestInfo } from "@playwright/test";

/**
 * Search everywhere (Ctrl+K) to a prompt, inference text search in the browser, and HTTP 404 for
 * pages of things that do not exist.
 */
async function shot(page: Page, info: TestInfo, name: string) {
  const path = info.outputPath(`${name}.png`);
  await page.screenshot({ path, fullPage: true });
  await info.attach(name, { path, contentType: "image/png" });
}

/**
 * Ctrl+K on a page just loaded: its listener is attached when the page hydrates, which a loaded
 * machine may not have done yet, so the key is pressed again (only while the dialog is closed).
 */
async function openPalette(page: Page) {
  const dialog = page.getByRole("dialog", { name: "Search everywhere" });
  await expect(async () => {
    if (!(await dialog.isVisible())) await page.keyboard.press("Control+K");
    await expect(dialog).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 30_000 });
  return dialog;
}

/** Lowercase letters only, so the word is one token wherever it lands. */
const word = (prefix: string) =>
  `${prefix}${Array.from({ length: 8 }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join("")}`;

test("Ctrl+K finds a prompt by part of its name; arrows and Enter open it; Escape closes", async ({ page, request }, info) => {
  const name = `${word("palette")}-greeting`;
  const made = await request.post("/api/registered", { data: { kind: "prompts", name, template: { user: "Hello {{who}}" } } });
  expect(made.status()).toBe(200);

  await page.goto("/");
  const dialog = await openPalette(page);
  const box = dialog.getByRole("combobox");
  await expect(box).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();

  await page.keyboard.press("Control+K");
  await box.fill(name.slice(0, 12).toUpperCase());
  const option = dialog.getByRole("option", { name: new RegExp(`Prompt\\s*${name}`) });
  await expect(option).toBeVisible();
  await shot(page, info, "palette");
  // The first result is active; move down and back up to it, then open it.
  await expect(dialog.getByRole("option").first()).toHaveAttribute("aria-selected", "true");
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("ArrowUp");
  await expect(option).toHaveAttribute("aria-selected", "true");
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(new RegExp(`/registry/prompts/${name}$`));
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Breadcrumb" }).getByRole("link", { name: "Prompts" })).toBeVisible();
});

test("a pasted inference id jumps to the inference; the browser finds it by a word of its text", async ({ page, request }, info) => {
  const unique = word("zebra");
  const made = await request.post("/api/inference", {
    data: { function_name: "summarize", variant_name: "concise", input: { variables: { customer: "Cy", ticket: `My ${unique} broke.` } } },
  });
  expect(made.status()).toBe(200);
  const { inference_id: id } = (await made.json()) as { inference_id: string };
  await expect.poll(async () => (await request.get(`/api/inferences/${id}`)).status(), { timeout: 20_000 }).toBe(200);

  await page.goto("/inferences?range=1h");
  const search = page.getByRole("search", { name: "Search inference text" });
  await search.getByLabel("Text in input or output").fill(unique.toUpperCase());
  await search.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(new RegExp(`q=${unique.toUpperCase()}`));
  await expect(page.getByText("1 inference matches")).toBeVisible();
  await expect(page.getByRole("link", { name: `Inference ${id}` })).toBeVisible();
  const rows = page.getByRole("table", { name: "Inferences, newest first" }).getByRole("row");
  await expect(rows).toHaveCount(2);
  // Latency never wraps: its cell is one line high, like the time cell.
  const latency = rows.nth(1).getByRole("cell").nth(4);
  await expect(latency).toHaveCSS("white-space", "nowrap");
  await shot(page, info, "text-search");

  // Not in a range that ends before it was made.
  await page.goto(`/inferences?q=${unique}&from=1000000000000&to=1000003600000`);
  await expect(page.getByText("No inferences match")).toBeVisible();

  await page.goto("/");
  await (await openPalette(page)).getByRole("combobox").fill(id);
  await expect(page.getByRole("option", { name: new RegExp(`Inference\\s*${id}`) })).toBeVisible();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(new RegExp(`/inferences/${id}$`));
});

test("pages of missing things answer HTTP 404 with a not-found page", async ({ page, request }) => {
  const missing = [
    "/experiments/0/runs/0123456789abcdef0123456789abcdef",
    "/experiments/987654321",
    "/functions/no_such_function",
    "/functions/summarize/variants/no_such_variant",
    "/registry/prompts/no-such-prompt",
    "/registry/models/no-such-model",
    "/datasets/no-such-dataset",
    "/labelling/no-such-queue",
    "/inferences/0193a5b0-0000-7000-8000-000000000000",
    "/traces/tr-0123456789abcdef0123456789abcdef",
  ];
  for (const path of missing) {
    const res = await request.get(path);
    expect(res.status(), path).toBe(404);
    expect(await res.text(), path).toMatch(/not found/i);
  }
  // And a page that exists still answers 200.
  expect((await request.get("/functions/summarize")).status()).toBe(200);
  const res = await page.goto("/experiments/0/runs/0123456789abcdef0123456789abcdef");
  expect(res?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1 })).toContainText(/not found/i);
});
