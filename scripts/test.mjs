#!/usr/bin/env node
// `npm test`: every check, in order, and one closing line "N passed, N failed".
//   1. type-check, lint and format check
//   2. vitest: unit + integration (PGlite, real Postgres, chDB; then the ClickHouse tests again over HTTP)
//   3. production build   4. Playwright in Chromium (browser + process tests)   5. compose file check
// Set TEST_ONLY=unit,int,e2e to run a subset while developing (int-http: only the ClickHouse tests over HTTP).
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const bin = (name) => path.join(root, "node_modules", ".bin", name);
const only = process.env.TEST_ONLY?.split(",");
const wanted = (step) => !only || only.includes(step);
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
mkdirSync(path.join(root, "test-results"), { recursive: true });

const totals = { passed: 0, failed: 0, skipped: 0 };
const steps = [];
/** Names of failed tests, repeated in the summary so a log's tail says what broke. */
const failures = [];

function run(name, command, args, extraEnv = {}) {
  console.log(`\n=== ${name}: ${[path.basename(command), ...args].join(" ")}`);
  const started = Date.now();
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit", env: { ...env, ...extraEnv } });
  const ok = result.status === 0;
  steps.push({ name, ok, seconds: Math.round((Date.now() - started) / 1000) });
  return ok;
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(path.join(root, file), "utf8"));
  } catch {
    return undefined;
  }
}

/**
 * The start of a failure's message, indented under its test: a log's tail (often all a CI page
 * shows) then says what broke and how, not only where.
 */
function why(message) {
  if (!message) return "";
  const all = String(message)
    // eslint-disable-next-line no-control-regex
    .replace(/\u001b\[[0-9;]*m/g, "")
    .split("\n")
    .map((line) => line.trimEnd())
    .filter((line) => line.trim() !== "");
  const frame = (line) => /^\s*at /.test(line);
  // Vitest's JSON keeps a timeout's stack, taken before its message was set.
  const text = all.filter((line) => !frame(line)).map((line) => line.replace("Error: STACK_TRACE_ERROR", "timed out (its timeout)"));
  // Where in the test: the first frame outside node_modules (the runner's own frames say nothing).
  const where = all.find((line) => frame(line) && !line.includes("node_modules")) ?? all.find(frame);
  const lines = [...text.slice(0, 3), ...(where ? [where] : [])].map(
    (line) => `      ${line.length > 200 ? `${line.slice(0, 200)}…` : line}`,
  );
  return lines.length ? `\n${lines.join("\n")}` : "";
}

/** A check that is not a test runner counts as one test. */
function countCheck(ok) {
  if (ok) totals.passed += 1;
  else totals.failed += 1;
}

if (wanted("typecheck")) countCheck(run("typecheck", bin("tsc"), ["--noEmit"]));
if (wanted("lint")) {
  countCheck(run("lint", bin("eslint"), ["."]));
  countCheck(run("format", bin("prettier"), ["--check", ".", "--log-level", "warn"]));
}

if (wanted("unit") || wanted("int") || wanted("int-http")) {
  // `int` includes `int-http`: the ClickHouse tests through @clickhouse/client over HTTP (the server path).
  const projects = ["unit", "int", "int-http"]
    .filter((p) => wanted(p) || (p === "int-http" && wanted("int")))
    .flatMap((p) => ["--project", p]);
  const ok = run("vitest", bin("vitest"), [
    "run",
    ...projects,
    "--reporter=default",
    "--reporter=json",
    "--outputFile=test-results/vitest.json",
  ]);
  const report = readJson("test-results/vitest.json");
  if (report) {
    totals.passed += report.numPassedTests;
    totals.failed += report.numFailedTests;
    totals.skipped += report.numPendingTests + report.numTodoTests;
    if (!ok && report.numFailedTests === 0) totals.failed += 1; // a suite failed to load
    for (const file of report.testResults ?? []) {
      const where = path.relative(root, file.name);
      const failed = (file.assertionResults ?? []).filter((t) => t.status === "failed");
      for (const t of failed) failures.push(`vitest ${where} › ${t.fullName}${why(t.failureMessages?.[0])}`);
      if (failed.length === 0 && file.status === "failed") failures.push(`vitest ${where} (suite failed to load)`);
    }
  } else if (!ok) totals.failed += 1;
}

if (wanted("e2e")) {
  const built = run("build", bin("next"), ["build"], { NODE_ENV: "production" });
  countCheck(built);
  if (built) {
    const ok = run("playwright", bin("playwright"), ["test"]);
    const report = readJson("test-results/e2e.json");
    if (report?.stats) {
      totals.passed += report.stats.expected + report.stats.flaky;
      totals.failed += report.stats.unexpected;
      totals.skipped += report.stats.skipped;
      if (!ok && report.stats.unexpected === 0) totals.failed += 1;
      collectPlaywrightFailures(report.suites ?? [], []);
    } else if (!ok) totals.failed += 1;
  }
}

/** Walks Playwright's JSON report (suites within suites) for tests whose outcome was unexpected. */
function collectPlaywrightFailures(suites, titles) {
  for (const suite of suites) {
    const here = suite.title ? [...titles, suite.title] : titles;
    for (const spec of suite.specs ?? []) {
      const failed = (spec.tests ?? []).find((t) => t.status === "unexpected");
      if (failed) {
        const error = failed.results?.at(-1)?.error?.message;
        failures.push(`playwright ${[...here, spec.title].join(" › ")}${why(error)}`);
      }
    }
    collectPlaywrightFailures(suite.suites ?? [], here);
  }
}

if (wanted("compose")) {
  const composeBin = ["/usr/bin/docker-compose", "/usr/local/bin/docker-compose"].find(existsSync);
  if (composeBin) countCheck(run("compose", composeBin, ["-f", "docker-compose.yml", "config", "-q"]));
  else {
    console.log("\n=== compose: skipped (docker-compose not installed; .ci/run installs it)");
    totals.skipped += 1;
  }
}

console.log("\n=== summary");
for (const step of steps) console.log(`${step.ok ? "ok  " : "FAIL"} ${step.name} (${step.seconds} s)`);
if (failures.length > 0) {
  console.log("\nfailed:");
  for (const name of failures) console.log(`  ${name}`);
}
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(totals.failed > 0 || steps.some((s) => !s.ok) ? 1 : 0);
