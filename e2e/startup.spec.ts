import { expect, test } from "@playwright/test";
import { freshDataDir, startApp, waitHealthy } from "./fixtures/server";

// Ports next to the shared app's, so that several checkouts can run their browser tests at once.
const port = (n: number) => Number(process.env.E2E_PORT ?? 3210) + 10 + n;

// Process-level behaviour of `npm start`: these start their own app processes on their own ports.
test.describe.configure({ mode: "serial" });

test("restarting keeps the data folder usable, and a second process on it gets a clear error @slow", async () => {
  const dataDir = freshDataDir("restart");
  const first = startApp({ LLMOPS_DATA_DIR: dataDir }, port(1));
  try {
    const health = (await waitHealthy(first)) as { stores: { postgres: { migrations: { applied: number } } } };
    expect(health.stores.postgres.migrations.applied).toBeGreaterThan(0);

    const second = startApp({ LLMOPS_DATA_DIR: dataDir }, port(2));
    expect(await second.exited).toBe(1);
    expect(second.output()).toContain(`The data folder ${dataDir} is in use by another llmops process`);
    // The first process is unharmed.
    const res = await fetch(`http://127.0.0.1:${port(1)}/api/health`);
    expect(res.status).toBe(200);
  } finally {
    expect(await first.stop("SIGTERM")).toBe(0);
  }
  expect(first.output()).toContain("SIGTERM: shutting down");

  const again = startApp({ LLMOPS_DATA_DIR: dataDir }, port(1));
  try {
    const health = (await waitHealthy(again)) as {
      status: string;
      stores: { clickhouse: { migrations: { applied: number; known: number } } };
    };
    expect(health.status).toBe("ok");
    expect(health.stores.clickhouse.migrations.applied).toBe(health.stores.clickhouse.migrations.known);
  } finally {
    await again.stop();
  }
});

test("an unreachable DATABASE_URL stops start-up fast with a clear message", async () => {
  const started = Date.now();
  const app = startApp(
    { LLMOPS_DATA_DIR: freshDataDir("pg"), DATABASE_URL: "postgres://llmops:pw@127.0.0.1:1/llmops", LLMOPS_CONNECT_TIMEOUT_MS: "3000" },
    port(3),
  );
  expect(await app.exited).toBe(1);
  expect(Date.now() - started).toBeLessThan(20_000);
  expect(app.output()).toContain("cannot start: Cannot use Postgres at postgres://llmops:***@127.0.0.1:1/llmops (DATABASE_URL)");
  expect(app.output()).not.toContain(":pw@");
});

test("an unreachable CLICKHOUSE_URL stops start-up fast with a clear message", async () => {
  const started = Date.now();
  const app = startApp(
    { LLMOPS_DATA_DIR: freshDataDir("ch"), CLICKHOUSE_URL: "http://127.0.0.1:1", LLMOPS_CONNECT_TIMEOUT_MS: "3000" },
    port(4),
  );
  expect(await app.exited).toBe(1);
  expect(Date.now() - started).toBeLessThan(20_000);
  expect(app.output()).toContain("cannot start: Cannot use ClickHouse at http://127.0.0.1:1/ (CLICKHOUSE_URL)");
});

test("a bad setting stops start-up with a message naming it", async () => {
  const app = startApp({ LLMOPS_DATA_DIR: freshDataDir("bad"), CLICKHOUSE_DATABASE: "no-dashes" }, port(5));
  expect(await app.exited).toBe(1);
  expect(app.output()).toContain('CLICKHOUSE_DATABASE="no-dashes": must be a plain identifier');
});
