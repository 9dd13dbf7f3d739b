import "server-only";
import { openPostgres, type PostgresStore } from "@/db/client.server";
import { getEnv, type Env } from "@/lib/env.server";
import { openClickHouse, type ClickHouseStore } from "@/lib/clickhouse/client.server";
import { acquireDataLock, type DataLock } from "./data-lock.server";
import { StoreUnavailableError } from "./errors";

export interface Stores {
  postgres: PostgresStore;
  clickhouse: ClickHouseStore;
  close(): Promise<void>;
}

/**
 * Opens both stores and applies pending migrations. Embedded stores first take the data-folder
 * lock, so a second process gets a clear error before touching any file.
 */
export async function openStores(env: Env): Promise<Stores> {
  const embedded = !env.DATABASE_URL || !env.CLICKHOUSE_URL;
  const lock: DataLock | undefined = embedded ? await acquireDataLock(env.dataDir) : undefined;
  const opened: { close(): Promise<void> }[] = [];
  try {
    const clickhouse = await openClickHouse({
      url: env.CLICKHOUSE_URL,
      username: env.CLICKHOUSE_USER,
      password: env.CLICKHOUSE_PASSWORD,
      database: env.CLICKHOUSE_DATABASE,
      cluster: env.CLICKHOUSE_CLUSTER,
      dataDir: env.dataDir,
      connectTimeoutMs: env.LLMOPS_CONNECT_TIMEOUT_MS,
    });
    opened.push(clickhouse);
    const postgres = await openPostgres({
      url: env.DATABASE_URL,
      dataDir: env.dataDir,
      connectTimeoutMs: env.LLMOPS_CONNECT_TIMEOUT_MS,
    });
    opened.push(postgres);
    let closing: Promise<void> | undefined;
    return {
      postgres,
      clickhouse,
      close() {
        closing ??= (async () => {
          await Promise.allSettled([postgres.close(), clickhouse.close()]);
          await lock?.release();
        })();
        return closing;
      },
    };
  } catch (error) {
    await Promise.allSettled(opened.map((s) => s.close()));
    await lock?.release();
    throw error;
  }
}

// Next.js bundles instrumentation and each route separately, so a module-level variable would
// exist once per bundle; the process-wide registry lives on globalThis instead.
const REGISTRY = Symbol.for("llmops.stores");
type Registry = { [REGISTRY]?: Promise<Stores> };

/** The process's stores, opened on first use (normally by instrumentation at start-up). */
export function getStores(): Promise<Stores> {
  if (process.env.NEXT_PHASE === "phase-production-build") {
    throw new StoreUnavailableError("Stores are never opened during `next build`; mark the caller dynamic.");
  }
  const registry = globalThis as Registry;
  registry[REGISTRY] ??= openStores(getEnv()).catch((error: unknown) => {
    delete registry[REGISTRY];
    throw error;
  });
  return registry[REGISTRY];
}

/** Closes the process's stores if they were opened. */
export async function closeStores(): Promise<void> {
  const registry = globalThis as Registry;
  const pending = registry[REGISTRY];
  delete registry[REGISTRY];
  if (pending) await (await pending.catch(() => undefined))?.close();
}
