import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { defineConfig } from "@playwright/test";

export const E2E_PORT = Number(process.env.E2E_PORT ?? 3210);
// A fresh data folder per run: the browser tests never see a developer's own data.
const dataDir = process.env.E2E_DATA_DIR ?? mkdtempSync(path.join(tmpdir(), "llmops-e2e-"));
process.env.E2E_DATA_DIR = dataDir;
// An admin API key the server keeps in existence (LLMOPS_ADMIN_API_KEY), for specs that call the API as admin.
const adminKey = (process.env.E2E_ADMIN_API_KEY ??= `e2e-admin-${randomBytes(16).toString("hex")}`);

export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results",
  fullyParallel: false,
  workers: 1,
  timeout: 60_000,
  // Pages render on the server against embedded stores on a shared two-core CI machine; how fast
  // they are is the benchmarks' subject (npm run bench:*), so an assertion waits up to 15 s.
  expect: { timeout: 15_000 },
  reporter: process.env.CI
    ? [["list"], ["json", { outputFile: "test-results/e2e.json" }]]
    : [["list"], ["json", { outputFile: "test-results/e2e.json" }]],
  use: {
    baseURL: `http://127.0.0.1:${E2E_PORT}`,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-quic",
        "--no-first-run",
      ],
    },
  },
  projects: [{ name: "chromium", use: { browserName: "chromium" } }],
  webServer: {
    command: "node scripts/start.mjs",
    url: `http://127.0.0.1:${E2E_PORT}/api/health`,
    timeout: 180_000,
    reuseExistingServer: false,
    stdout: "pipe",
    env: { PORT: String(E2E_PORT), LLMOPS_DATA_DIR: dataDir, LLMOPS_DEMO: "on", LLMOPS_ADMIN_API_KEY: adminKey },
  },
});
