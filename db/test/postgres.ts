import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import postgres from "postgres";
import { openPostgres, type PostgresStore } from "@/db/client.server";

/** The real Postgres tests use; each test database is created and dropped on it. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export interface PostgresBackend {
  name: "pglite" | "postgres";
  /** A fresh, migrated store on its own database or folder. */
  open(): Promise<TestPostgres>;
}

export interface TestPostgres {
  store: PostgresStore;
  /** Options that reopen the same data (for restart tests). */
  options: Parameters<typeof openPostgres>[0];
  cleanup(): Promise<void>;
}

export const tmpDir = (prefix: string) => mkdtemp(path.join(tmpdir(), `llmops-${prefix}-`));

/** Creates an empty database on the test server and returns its URL and a drop function. */
export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `llmops_t_${randomBytes(6).toString("hex")}`;
  const admin = postgres(TEST_DATABASE_URL, { max: 1, onnotice: () => undefined });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const again = postgres(TEST_DATABASE_URL, { max: 1, onnotice: () => undefined });
      await again.unsafe(`drop database if exists ${name} with (force)`);
      await again.end();
    },
  };
}

const allBackends: PostgresBackend[] = [
  {
    name: "pglite",
    async open() {
      const dataDir = await tmpDir("pglite");
      const options = { dataDir, connectTimeoutMs: 10_000 };
      const store = await openPostgres(options);
      return {
        store,
        options,
        async cleanup() {
          await store.close().catch(() => undefined);
          await rm(dataDir, { recursive: true, force: true });
        },
      };
    },
  },
  {
    name: "postgres",
    async open() {
      const database = await createTestDatabase();
      const options = { url: database.url, dataDir: "/nonexistent", connectTimeoutMs: 10_000 };
      const store = await openPostgres(options);
      return {
        store,
        options,
        async cleanup() {
          await store.close().catch(() => undefined);
          await database.drop();
        },
      };
    },
  },
];

/**
 * The backends integration tests run on: both, or those named in TEST_POSTGRES_BACKENDS
 * (`pglite`, `postgres`), which the `int-http` project sets, its subject being ClickHouse.
 */
export const postgresBackends: PostgresBackend[] = allBackends.filter(
  (b) => !process.env.TEST_POSTGRES_BACKENDS || process.env.TEST_POSTGRES_BACKENDS.split(",").includes(b.name),
);
