import "server-only";
import { mkdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import { sql } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import type { Sql } from "postgres";
import * as schema from "@/db/schema";
import { StoreUnavailableError, describeError, redactUrl, withTimeout } from "@/lib/stores/errors";
import type { StoreInfo } from "@/lib/stores/types";

/** One Drizzle type for both drivers: query code never knows which one it runs on. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
/** A transaction on either driver; query functions take `DbOrTx` when they may run inside one. */
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
export type DbOrTx = Db | Tx;

export interface PostgresStore extends StoreInfo {
  db: Db;
}

export interface PostgresOptions {
  /** A postgres:// URL; without it PGlite stores data in `dataDir`/postgres. */
  url?: string;
  dataDir: string;
  connectTimeoutMs: number;
  migrationsFolder?: string;
}

const defaultMigrationsFolder = () => path.join(process.cwd(), "db", "migrations");

/**
 * Drizzle's driver-specific database classes are all PgDatabase subclasses that differ only
 * in their query-result HKT, which no shared query code observes; this is the one place we
 * widen them to `Db`.
 */
function asDb(db: unknown): Db {
  return db as Db;
}

/** Serialises migrations across app instances starting at once (real Postgres only). */
const MIGRATION_LOCK_ID = 727_001;

export async function openPostgres(options: PostgresOptions): Promise<PostgresStore> {
  const migrationsFolder = options.migrationsFolder ?? defaultMigrationsFolder();
  return options.url
    ? openServer(options.url, options.connectTimeoutMs, migrationsFolder)
    : openEmbedded(path.join(options.dataDir, "postgres"), migrationsFolder);
}

async function openEmbedded(dir: string, migrationsFolder: string): Promise<PostgresStore> {
  const [{ PGlite }, { drizzle }, { migrate }] = await Promise.all([
    import("@electric-sql/pglite"),
    import("drizzle-orm/pglite"),
    import("drizzle-orm/pglite/migrator"),
  ]);
  await mkdir(dir, { recursive: true });
  let client: PGlite;
  try {
    client = await PGlite.create(dir);
  } catch (error) {
    throw new StoreUnavailableError(`Cannot open the embedded Postgres (PGlite) in ${dir}: ${describeError(error)}`, {
      cause: error,
    });
  }
  const db = drizzle({ client, schema, casing: "snake_case" });
  try {
    await migrate(db, { migrationsFolder });
  } catch (error) {
    await client.close().catch(() => undefined);
    throw new StoreUnavailableError(`Postgres migrations failed on PGlite in ${dir}: ${describeError(error)}`, {
      cause: error,
    });
  }
  return storeFor("embedded", dir, asDb(db), migrationsFolder, () => client.close());
}

async function openServer(url: string, connectTimeoutMs: number, migrationsFolder: string): Promise<PostgresStore> {
  const [{ default: postgres }, { drizzle }, { migrate }] = await Promise.all([
    import("postgres"),
    import("drizzle-orm/postgres-js"),
    import("drizzle-orm/postgres-js/migrator"),
  ]);
  const shown = redactUrl(url);
  const connect = (max: number): Sql =>
    postgres(url, {
      max,
      connect_timeout: Math.max(1, Math.ceil(connectTimeoutMs / 1000)),
      onnotice: () => undefined,
    });

  // Migrate on a dedicated connection that holds an advisory lock, so that several app
  // servers starting together apply each migration exactly once.
  const migrator = connect(1);
  try {
    await withTimeout(migrator`select 1`, connectTimeoutMs, () => new Error(`no answer within ${connectTimeoutMs} ms`));
    await migrator`select pg_advisory_lock(${MIGRATION_LOCK_ID})`;
    try {
      await migrate(drizzle({ client: migrator, casing: "snake_case" }), { migrationsFolder });
    } finally {
      await migrator`select pg_advisory_unlock(${MIGRATION_LOCK_ID})`;
    }
  } catch (error) {
    await migrator.end({ timeout: 1 }).catch(() => undefined);
    throw new StoreUnavailableError(`Cannot use Postgres at ${shown} (DATABASE_URL): ${describeError(error)}`, {
      cause: error,
    });
  }
  await migrator.end({ timeout: 5 });

  const client = connect(10);
  const db = drizzle({ client, schema, casing: "snake_case" });
  return storeFor("server", shown, asDb(db), migrationsFolder, () => client.end({ timeout: 5 }));
}

function storeFor(
  kind: PostgresStore["kind"],
  location: string,
  db: Db,
  migrationsFolder: string,
  close: () => Promise<void>,
): PostgresStore {
  return {
    kind,
    location,
    db,
    async version() {
      const rows = await db.execute<{ server_version: string }>(sql`show server_version`);
      return String(rowsOf<{ server_version: string }>(rows)[0]?.server_version ?? "unknown");
    },
    async migrations() {
      const [journal, rows] = await Promise.all([
        readJournal(migrationsFolder),
        db.execute<{ applied: number | string }>(sql`select count(*)::int as applied from drizzle.__drizzle_migrations`),
      ]);
      const applied = Number(rowsOf<{ applied: number | string }>(rows)[0]?.applied ?? 0);
      return { applied, known: journal.length, latest: journal[applied - 1] ?? null };
    },
    close,
  };
}

/** postgres-js returns an array of rows, PGlite an object with `rows`. */
function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  const rows = (result as { rows?: unknown }).rows;
  return Array.isArray(rows) ? (rows as T[]) : [];
}

async function readJournal(folder: string): Promise<string[]> {
  const raw = JSON.parse(await readFile(path.join(folder, "meta", "_journal.json"), "utf8")) as {
    entries?: { tag: string }[];
  };
  return (raw.entries ?? []).map((e) => e.tag);
}
