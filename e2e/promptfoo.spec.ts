import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { ADMIN_API_KEY } from "./auth-fixtures";

/**
 * promptfoo interop against the built app, with the real promptfoo from npm (0.121.x: its engines
 * accept Node 20). It is heavy (about 1.9 GB installed), so it is not a devDependency: this test
 * installs it once into PROMPTFOO_CACHE_DIR (default ~/.cache/llmops-promptfoo) and reuses it.
 * A suite runs through the shipped provider with a `cost` assertion, its results.json is imported
 * with the CLI and shown; the CLI then gates a run on a threshold (exit code, JUnit XML).
 */
const PROMPTFOO_VERSION = "0.121";
const cacheDir = process.env.PROMPTFOO_CACHE_DIR ?? path.join(homedir(), ".cache", "llmops-promptfoo");
const promptfooBin = path.join(cacheDir, "node_modules", ".bin", "promptfoo");

function ensurePromptfoo() {
  if (existsSync(promptfooBin)) return;
  mkdirSync(cacheDir, { recursive: true });
  if (!existsSync(path.join(cacheDir, "package.json")))
    writeFileSync(path.join(cacheDir, "package.json"), '{"name":"llmops-promptfoo-cache","private":true}\n');
  const install = spawnSync("npm", ["install", "--no-audit", "--no-fund", `promptfoo@${PROMPTFOO_VERSION}`], {
    cwd: cacheDir,
    encoding: "utf8",
    timeout: 1_200_000,
  });
  if (install.status !== 0) throw new Error(`installing promptfoo failed:\n${install.stdout}\n${install.stderr}`);
}

const run = (command: string, args: string[], options: { cwd?: string; env?: Record<string, string> } = {}) =>
  // The provider and the CLI send LLMOPS_API_KEY as a bearer token (auth is on).
  spawnSync(command, args, {
    cwd: options.cwd,
    env: { ...process.env, LLMOPS_API_KEY: ADMIN_API_KEY, ...options.env },
    encoding: "utf8",
    timeout: 600_000,
  });

test("@promptfoo @slow promptfoo runs a suite through the llmops provider with a cost assertion, and its results are imported", async ({
  page,
  baseURL,
}, info) => {
  test.setTimeout(1_800_000);
  ensurePromptfoo();
  // The CLI step below runs on the demo's dataset.
  await expect
    .poll(async () => (await page.request.get("/api/datasets/demo-tickets")).status(), { timeout: 240_000, intervals: [2000] })
    .toBe(200);
  const dir = mkdtempSync(path.join(tmpdir(), "llmops-promptfoo-"));
  const provider = path.resolve("promptfoo/llmops-provider.mjs");
  writeFileSync(
    path.join(dir, "promptfooconfig.yaml"),
    `description: llmops provider
prompts: ["{{ticket}}"]
providers:
  - id: file://${provider}
    label: summarize-concise
    config: { url: "${baseURL}", function: summarize, variant: concise }
tests:
  - vars: { customer: Ada, ticket: "My invoice was charged twice." }
    assert:
      - { type: icontains, value: ada }
      - { type: cost, threshold: 0.01 }
      - { type: latency, threshold: 20000 }
  - vars: { customer: Ken, ticket: "The export button does nothing." }
    assert:
      - { type: icontains, value: barbara }
      - { type: cost, threshold: 0.01 }
`,
  );
  const env = {
    PROMPTFOO_DISABLE_TELEMETRY: "1",
    PROMPTFOO_DISABLE_UPDATE: "1",
    PROMPTFOO_DISABLE_SHARING: "1",
    PROMPTFOO_CONFIG_DIR: path.join(dir, "promptfoo-config"),
  };
  const evaluated = run(promptfooBin, ["eval", "-c", "promptfooconfig.yaml", "-o", "results.json", "--no-cache", "--no-progress-bar"], {
    cwd: dir,
    env,
  });
  // promptfoo exits 100 when an assertion fails: the second test expects a name the answer lacks.
  expect(evaluated.status, evaluated.stdout + evaluated.stderr).toBe(100);
  const results = JSON.parse(readFileSync(path.join(dir, "results.json"), "utf8")) as {
    results: {
      version: number;
      results: {
        success: boolean;
        cost: number;
        response: { metadata: { inference_id: string; variant: string } };
        gradingResult: { componentResults: { pass: boolean; assertion: { type: string } }[] };
      }[];
    };
  };
  expect(results.results.version).toBe(3);
  for (const row of results.results.results) {
    expect(row.cost).toBeGreaterThan(0);
    expect(row.response.metadata).toMatchObject({ variant: "concise", inference_id: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect(row.gradingResult.componentResults.find((c) => c.assertion.type === "cost")!.pass).toBe(true);
  }

  const imported = run(process.execPath, [
    "bin/llmops.mjs",
    "eval",
    "import-promptfoo",
    path.join(dir, "results.json"),
    "--url",
    baseURL!,
    "--dataset",
    `promptfoo-e2e-${Date.now().toString(36)}`,
  ]);
  expect(imported.status, imported.stdout + imported.stderr).toBe(0);
  const runId = /evaluations\/([0-9a-f-]{36})/.exec(imported.stdout)![1]!;
  await page.goto(`/evaluations/${runId}`);
  await expect(page.getByText("(imported from promptfoo)")).toBeVisible();
  await expect(page.getByRole("table", { name: "Summary" })).toContainText("summarize-concise");
  await expect(page.getByRole("table", { name: "Summary" })).toContainText("50.0%");
  await page.screenshot({ path: info.outputPath("promptfoo-import.png"), fullPage: true });

  // The CLI gates a change in CI: a failed threshold exits 1 and is a JUnit failure.
  const junit = path.join(dir, "junit.xml");
  const gated = run(process.execPath, [
    "bin/llmops.mjs",
    "eval",
    "run",
    "--url",
    baseURL!,
    "--function",
    "summarize",
    "--dataset",
    "demo-tickets",
    "--variant",
    "concise",
    "--evaluator",
    '{"name":"faithful","type":"rouge-l","threshold":0.8}',
    "--threshold",
    "faithful/mean>=0.99",
    "--concurrency",
    "16",
    "--junit",
    junit,
  ]);
  expect(gated.status, gated.stdout + gated.stderr).toBe(1);
  expect(gated.stdout).toMatch(/FAIL {2}concise: faithful\/mean >= 0.99/);
  expect(readFileSync(junit, "utf8")).toMatch(
    /<testcase classname="summarize on demo-tickets.concise" name="faithful\/mean &gt;= 0.99"><failure/,
  );
});
