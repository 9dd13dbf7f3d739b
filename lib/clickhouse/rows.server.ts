import "server-only";
import type { ClickHouseClient } from "@clickhouse/client";
import type { z } from "zod";

/**
 * Typed reads: a query's rows parsed by a zod schema of one row, once, where they arrive. Readers
 * declare their row shape here instead of trusting `.json<T>()`; 64-bit integers arrive as strings
 * (CLIENT_SETTINGS), so counts go through `count`.
 */

export type Params = Record<string, unknown>;

export async function queryRows<S extends z.ZodType>(
  client: ClickHouseClient,
  query: string,
  params: Params,
  schema: S,
): Promise<z.output<S>[]> {
  const result = await client.query({ query, query_params: params, format: "JSONEachRow" });
  const found = await result.json();
  // Row by row with the row's schema: the cost is one object parse per row, nothing more.
  return found.map((row) => schema.parse(row));
}

export { count, flag, real } from "./columns";
