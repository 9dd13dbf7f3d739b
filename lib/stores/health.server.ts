import "server-only";
import { APP_VERSION } from "@/lib/version";
import { describeError, withTimeout } from "./errors";
import { getStores, type Stores } from "./index.server";
import type { Health, StoreHealth } from "./schemas";

const CHECK_TIMEOUT_MS = 3_000;

async function probe(
  base: Pick<StoreHealth, "kind" | "engine" | "location">,
  check: () => Promise<Pick<StoreHealth, "version" | "migrations">>,
): Promise<StoreHealth> {
  const started = performance.now();
  try {
    const facts = await withTimeout(check(), CHECK_TIMEOUT_MS, () => new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`));
    return { ok: true, ...base, ...facts, latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    return { ok: false, ...base, error: describeError(error) };
  }
}

/** Asks each store for its version and migrations now; never throws. */
export async function checkHealth(getter: () => Promise<Stores> = getStores): Promise<Health> {
  const app = { version: APP_VERSION, uptimeSeconds: Math.round(process.uptime()) };
  let stores: Stores;
  try {
    stores = await getter();
  } catch (error) {
    const down: StoreHealth = { ok: false, error: describeError(error) };
    return { status: "unavailable", app, stores: { postgres: down, clickhouse: down } };
  }
  const { postgres, clickhouse } = stores;
  const [pg, ch] = await Promise.all([
    probe(
      { kind: postgres.kind, engine: postgres.kind === "embedded" ? "PGlite" : "PostgreSQL", location: postgres.location },
      async () => ({ version: await postgres.version(), migrations: await postgres.migrations() }),
    ),
    probe(
      { kind: clickhouse.kind, engine: clickhouse.kind === "embedded" ? "chDB" : "ClickHouse", location: clickhouse.location },
      async () => ({ version: await clickhouse.version(), migrations: await clickhouse.migrations() }),
    ),
  ]);
  return { status: pg.ok && ch.ok ? "ok" : "unavailable", app, stores: { postgres: pg, clickhouse: ch } };
}
