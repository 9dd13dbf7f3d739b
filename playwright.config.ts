import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { defineConfig } from "@playwright/test";
import { ADMIN_STORAGE, AUTH_ENV, CSRF } from "./e2e/auth-fixtures";

export const E2E_PORT = Number(process.env.E2E_PORT ?? 3210);
// A fresh data folder per run: the browser tests never see a developer's own data.
const dataDir = process.env.E2E_DATA_DIR ?? mkdtempSync(path.join(tmpdir(), "llmops-e2e-"));
process.env.E2E_DATA_DIR = dataDir;
// The admin account and API key the server keeps in existence (LLMOPS_ADMIN_*) are in e2e/auth-fixtures.ts;
// the key is also E2E_ADMIN_API_KEY there, for specs that read it from the environment.

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
  projects: [
    // Signs in through /sign-in once and saves the session for the other projects.
    { name: "setup", testMatch: /auth\.setup\.ts$/, use: { browserName: "chromium" } },
    {
      name: "chromium",
      dependencies: ["setup"],
      // The `request` fixture takes storageState and extraHTTPHeaders too (Playwright applies the
      // project's context options to API request contexts), so API specs run as the admin as well.
      // The CSRF header here keeps the existing specs' cookie-signed writes working; e2e/auth.spec.ts
      // turns it off, so that its flows prove the dashboard sends the header on its own.
      use: { browserName: "chromium", storageState: ADMIN_STORAGE, extraHTTPHeaders: { ...CSRF } },
    },
  ],
  webServer: {
    command: "node scripts/start.mjs",
    url: `http://127.0.0.1:${E2E_PORT}/api/health`,
    timeout: 180_000,
    reuseExistingServer: false,
    stdout: "pipe",
    env: { PORT: String(E2E_PORT), LLMOPS_DATA_DIR: dataDir, LLMOPS_DEMO: "on", ...AUTH_ENV },
  },
});
