import "server-only";
import type { ClickHouseClient } from "@clickhouse/client";
import { desiredTtls, type TableTtl } from "./ttl";

/**
 * Keeps each table's TTL equal to the config: reads SHOW CREATE TABLE and alters only tables whose
 * TTL differs (`MODIFY TTL`, or `REMOVE TTL` when retention was taken out), `ON CLUSTER` when a
 * cluster is configured. Idempotent, so every app server may run it at start-up.
 */
export async function syncRetention(
  client: ClickHouseClient,
  config: Parameters<typeof desiredTtls>[0],
  options: { cluster?: string; log?: (message: string) => void } = {},
): Promise<{ table: string; action: "modify" | "remove" }[]> {
  const onCluster = options.cluster ? ` ON CLUSTER ${quoteIdent(options.cluster)}` : "";
  const changed: { table: string; action: "modify" | "remove" }[] = [];
  for (const want of desiredTtls(config)) {
    const current = await currentTtl(client, want.table);
    if (current === undefined) continue; // table not there (older schema)
    if (want.clause === null) {
      if (current === null) continue;
      await client.command({ query: `ALTER TABLE ${quoteIdent(want.table)}${onCluster} REMOVE TTL` });
      changed.push({ table: want.table, action: "remove" });
    } else {
      if (current === want.clause) continue;
      await client.command({ query: `ALTER TABLE ${quoteIdent(want.table)}${onCluster} MODIFY TTL ${want.clause}` });
      changed.push({ table: want.table, action: "modify" });
    }
  }
  if (changed.length)
    options.log?.(`retention: TTL ${changed.map((c) => `${c.action === "remove" ? "removed from" : "set on"} ${c.table}`).join(", ")}`);
  return changed;
}

/** The table's TTL as SHOW CREATE TABLE prints it; null without one; undefined when the table is missing. */
export async function currentTtl(client: ClickHouseClient, table: string): Promise<string | null | undefined> {
  const result = await client.query({
    query: "SELECT create_table_query AS q FROM system.tables WHERE database = currentDatabase() AND name = {t:String}",
    query_params: { t: table },
    format: "JSONEachRow",
  });
  const [row] = await result.json<{ q: string }>();
  if (!row) return undefined;
  const m = /\bTTL (.+?)(?: SETTINGS |$)/s.exec(row.q);
  return m ? m[1]!.trim() : null;
}

const quoteIdent = (name: string) => `\`${name.replace(/\\/g, "\\\\").replace(/`/g, "\\`")}\``;

export type { TableTtl };
