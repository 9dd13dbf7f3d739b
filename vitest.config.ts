import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";

const root = import.meta.dirname;
const alias = {
  "@": root,
  // Outside Next.js the `server-only` guard has nothing to guard; tests run server code directly.
  "server-only": path.join(root, "db/test/server-only.ts"),
};

/** Integration test files under the source folders, relative to the root. */
function intTestFiles(dir = ""): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory()) return dir === "" && !["app", "components", "lib", "db"].includes(entry.name) ? [] : intTestFiles(rel);
    return entry.name.endsWith(".int.test.ts") ? [rel] : [];
  });
}

/**
 * The files `int-http` runs again over HTTP: those that open ClickHouse through the test helpers
 * (so a new test is covered without listing it), except those that start a fixture of their own.
 */
const clickhouseTestFiles = intTestFiles().filter((file) => {
  const text = readFileSync(path.join(root, file), "utf8");
  return /\b(openTestClickHouse|openTestStores|describeTracking|startTestApp)\b/.test(text) && !/\bstartClickHouseHttp\b/.test(text);
});

/**
 * Integration tests exercise their domains with auth off (LLMOPS_AUTH=off: every caller may do
 * everything, the same code path otherwise); the auth tests (lib/auth) switch it on in their files.
 */
const AUTH_OFF = { LLMOPS_AUTH: "off" };

const intTest = {
  environment: "node",
  // Each file gets its own process: chDB allows one data folder per process.
  pool: "forks",
  testTimeout: 60_000,
  hookTimeout: 60_000,
} as const;

export default defineConfig({
  plugins: [react()],
  resolve: { alias },
  test: {
    // On two cores vitest would run one file at a time (cores − 1), while much of an integration
    // file's time is spent waiting on Postgres, a local server or a timer: three at once keep both
    // cores busy. LLMOPS_TEST_WORKERS overrides it.
    maxWorkers: Number(process.env.LLMOPS_TEST_WORKERS) || 3,
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["{app,components,lib,db}/**/*.test.{ts,tsx}"],
          exclude: ["**/*.int.test.ts", "node_modules/**"],
          environment: "node",
        },
      },
      {
        extends: true,
        test: { name: "int", include: ["{app,components,lib,db}/**/*.int.test.ts"], env: AUTH_OFF, ...intTest },
      },
      {
        // The same ClickHouse tests through @clickhouse/client over HTTP (the server code path),
        // against the ClickHouse HTTP fixture over chDB (db/test/clickhouse-http), with Postgres on
        // the server only: the Postgres backends are the `int` project's subject.
        extends: true,
        test: {
          name: "int-http",
          include: clickhouseTestFiles,
          globalSetup: ["db/test/clickhouse-http/global-setup.ts"],
          env: { TEST_POSTGRES_BACKENDS: "postgres", ...AUTH_OFF },
          ...intTest,
        },
      },
    ],
  },
});
