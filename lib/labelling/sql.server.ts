import "server-only";
import type { ClickHouseClient } from "@clickhouse/client";
import type { SQL } from "drizzle-orm";
import type { Db, DbOrTx } from "@/db/client.server";

/** What the labelling services run against: both stores, whichever engines back them. */
export interface LabellingContext {
  db: Db;
  clickhouse: ClickHouseClient;
}

/** Runs raw SQL and returns its rows on either driver (postgres-js gives an array, PGlite `{ rows }`). */
export async function rows<T>(db: DbOrTx, query: SQL): Promise<T[]> {
  const result: unknown = await db.execute(query);
  if (Array.isArray(result)) return result as T[];
  const found = (result as { rows?: unknown }).rows;
  return Array.isArray(found) ? (found as T[]) : [];
}

/** Postgres' unique_violation, as either driver reports it (possibly wrapped by Drizzle). */
export function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: unknown }).code === "23505") return true;
  }
  return false;
}
