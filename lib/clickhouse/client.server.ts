import "server-only";
import { readFile, readdir, mkdir } from "node:fs/promises";
import path from "node:path";
import { createClient, type ClickHouseClient, type ClickHouseSettings } from "@clickhouse/client";
import { StoreUnavailableError, describeError, redactUrl, withTimeout } from "@/lib/stores/errors";
import { migrationsTableDdl, parseMigrations, renderDdl, type DdlTarget } from "./migrations";
import type { StoreInfo } from "@/lib/stores/types";

export interface ClickHouseStore extends StoreInfo {
  database: string;
  cluster?: string;
  client: ClickHouseClient;
}

export interface ClickHouseOptions {
  /** http(s):// URL of a server; without it chDB stores data in `dataDir`/clickhouse. */
  url?: string;
  username: string;
  password: string;
  database: string;
  cluster?: string;
  dataDir: string;
  connectTimeoutMs: number;
  migrationsFolder?: string;
}

/**
 * Set once on the client (per-query settings leak on a chDB connection). 64-bit integers come
 * back as strings from both engines, so row parsers convert them in one place.
 */
const CLIENT_SETTINGS: ClickHouseSettings = {
  output_format_json_quote_64bit_integers: 1,
  date_time_input_format: "best_effort",
};

type ClientConnection = NonNullable<NonNullable<Parameters<typeof createClient>[0]>["connection"]>;

/**
 * chdb/connection implements @clickhouse/client-common's Connection interface, but its declared
 * type comes from chdb's own copy of client-common, which TypeScript treats as distinct.
 */
function asClientConnection(connection: unknown): ClientConnection {
  return connection as ClientConnection;
}

const defaultMigrationsFolder = () => path.join(process.cwd(), "db", "clickhouse");

export async function openClickHouse(options: ClickHouseOptions): Promise<ClickHouseStore> {
  const target: DdlTarget = { cluster: options.cluster };
  const store = options.url ? await openServer(options.url, options) : await openEmbedded(options);
  try {
    await migrate(store.client, options.migrationsFolder ?? defaultMigrationsFolder(), target);
  } catch (error) {
    await store.close().catch(() => undefined);
    if (error instanceof StoreUnavailableError) throw error;
    throw new StoreUnavailableError(`ClickHouse migrations failed on ${store.location}: ${describeError(error)}`, {
      cause: error,
    });
  }
  return store;
}

async function openServer(url: string, options: ClickHouseOptions): Promise<ClickHouseStore> {
  const shown = redactUrl(url);
  const base = {
    url,
    username: options.username,
    password: options.password,
    request_timeout: Math.max(options.connectTimeoutMs, 30_000),
    clickhouse_settings: CLIENT_SETTINGS,
    application: "llmops",
  };
  // The database may not exist yet, so create it through a client bound to `default`.
  const bootstrap = createClient(base);
  try {
    const ping = await withTimeout(
      bootstrap.ping(),
      options.connectTimeoutMs,
      () => new Error(`no answer within ${options.connectTimeoutMs} ms`),
    );
    if (!ping.success) throw ping.error;
    const onCluster = renderDdl("${ON_CLUSTER}", { cluster: options.cluster });
    await bootstrap.command({ query: `CREATE DATABASE IF NOT EXISTS ${options.database} ${onCluster}` });
  } catch (error) {
    throw new StoreUnavailableError(`Cannot use ClickHouse at ${shown} (CLICKHOUSE_URL): ${describeError(error)}`, {
      cause: error,
    });
  } finally {
    await bootstrap.close();
  }
  const client = createClient({ ...base, database: options.database });
  return storeFor("server", shown, options, client);
}

async function openEmbedded(options: ClickHouseOptions): Promise<ClickHouseStore> {
  const dir = path.join(options.dataDir, "clickhouse");
  let createChdbConnection: (opts: { path: string }) => unknown;
  try {
    ({ createChdbConnection } = await import("chdb/connection"));
  } catch (error) {
    throw new StoreUnavailableError(
      `The embedded ClickHouse (chDB, an optional dependency) could not be loaded: ${describeError(error)}. ` +
        "Run `npm ci` on Linux or macOS, or set CLICKHOUSE_URL to a ClickHouse server.",
      { cause: error },
    );
  }
  await mkdir(dir, { recursive: true });
  let client: ClickHouseClient | undefined;
  try {
    client = createClient({
      connection: asClientConnection(createChdbConnection({ path: dir })),
      clickhouse_settings: CLIENT_SETTINGS,
    });
    await client.command({ query: `CREATE DATABASE IF NOT EXISTS ${options.database}` });
    // chDB ignores the client's `database` option; a chDB connection is one session, so USE sticks.
    await client.command({ query: `USE ${options.database}` });
  } catch (error) {
    await client?.close().catch(() => undefined);
    const text = describeError(error);
    const locked = /Cannot lock file|already running/i.test(text);
    throw new StoreUnavailableError(
      locked
        ? `The embedded ClickHouse data in ${dir} is in use by another process. ` +
            "Stop the other llmops process, or set LLMOPS_DATA_DIR to another folder."
        : `Cannot open the embedded ClickHouse (chDB) in ${dir}: ${text}`,
      { cause: error },
    );
  }
  const store = storeFor("embedded", dir, options, client);
  return { ...store, close: () => closeEmbedded(client) };
}

/**
 * Closes chDB in the order the library needs. Closing the connection does not stop the engine:
 * its background pools (merges, the BgSchPool) keep running until the process exits, where the
 * engine is torn down by exit hooks; a merge or a query still running on a libuv thread then
 * races that teardown (seen as a segfault in libchdb.so, or an exit that hangs). So: stop merges
 * and wait for those running (bounded), close the connection, then wait for every native
 * operation to finish (chdb's drainPending, which also runs a teardown deferred behind them).
 */
async function closeEmbedded(client: ClickHouseClient, waitMs = 5_000): Promise<void> {
  const until = Date.now() + waitMs;
  try {
    await client.command({ query: "SYSTEM STOP MERGES" });
    for (;;) {
      const rs = await client.query({ query: "SELECT count() AS n FROM system.merges", format: "JSONEachRow" });
      const [row] = await rs.json<{ n: string | number }>();
      if (Number(row?.n ?? 0) === 0 || Date.now() >= until) break;
      await new Promise((r) => setTimeout(r, 50));
    }
  } catch {
    // a closed or broken connection has nothing left to stop
  }
  await client.close();
  const chdb = (await import("chdb")) as unknown as {
    drainPending?: () => Promise<void>;
    default?: { drainPending?: () => Promise<void> };
  };
  const drainPending = chdb.drainPending ?? chdb.default?.drainPending;
  await Promise.race([drainPending?.(), new Promise((r) => setTimeout(r, Math.max(0, until - Date.now()) + 5_000).unref())]);
}

function storeFor(kind: ClickHouseStore["kind"], location: string, options: ClickHouseOptions, client: ClickHouseClient): ClickHouseStore {
  const migrationsFolder = options.migrationsFolder ?? defaultMigrationsFolder();
  return {
    kind,
    location,
    database: options.database,
    cluster: options.cluster,
    client,
    async version() {
      const rs = await client.query({ query: "SELECT version() AS version", format: "JSONEachRow" });
      const rows = await rs.json<{ version: string }>();
      return rows[0]?.version ?? "unknown";
    },
    async migrations() {
      const [known, rs] = await Promise.all([
        loadMigrations(migrationsFolder),
        client.query({ query: "SELECT version, name FROM schema_migrations FINAL ORDER BY version", format: "JSONEachRow" }),
      ]);
      const rows = await rs.json<{ version: number | string; name: string }>();
      const last = rows.at(-1);
      return {
        applied: rows.length,
        known: known.length,
        latest: last ? `${String(last.version).padStart(4, "0")}_${last.name}` : null,
      };
    },
    close: () => client.close(),
  };
}

async function loadMigrations(folder: string) {
  const files = (await readdir(folder)).filter((f) => f.endsWith(".sql")).sort();
  return parseMigrations(
    await Promise.all(files.map(async (file) => ({ file, content: await readFile(path.join(folder, file), "utf8") }))),
  );
}

/**
 * Applies pending files in order and records each. DDL files are idempotent (IF NOT EXISTS), so
 * two app servers racing here both succeed and the ReplacingMergeTree keeps one row per version.
 */
async function migrate(client: ClickHouseClient, folder: string, target: DdlTarget): Promise<void> {
  const migrations = await loadMigrations(folder);
  await client.command({ query: migrationsTableDdl(target) });
  const rs = await client.query({ query: "SELECT version, checksum FROM schema_migrations FINAL", format: "JSONEachRow" });
  const applied = new Map((await rs.json<{ version: number | string; checksum: string }>()).map((r) => [Number(r.version), r.checksum]));
  for (const migration of migrations) {
    const previous = applied.get(migration.version);
    if (previous !== undefined) {
      if (previous !== migration.checksum) {
        console.warn(`[clickhouse] migration ${migration.version}_${migration.name} changed after it was applied; edits are not re-run`);
      }
      continue;
    }
    for (const statement of migration.statements) {
      await client.command({ query: renderDdl(statement, target) });
    }
    await client.insert({
      table: "schema_migrations",
      values: [{ version: migration.version, name: migration.name, checksum: migration.checksum }],
      format: "JSONEachRow",
    });
  }
}
