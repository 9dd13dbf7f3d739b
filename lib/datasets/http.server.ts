import "server-only";
import type { RequestContext } from "@/lib/auth/context.server";
import type { DatasetVersionInfo } from "./schemas";
import type { DatasetsContext } from "./store.server";

/** The request context's stores, as the datasets services take them. */
export function datasetsContextOf(ctx: Pick<RequestContext, "stores">): DatasetsContext {
  return { db: ctx.stores.postgres.db, clickhouse: ctx.stores.clickhouse.client };
}

/** Records a saved version in the request's audit log: its number, digest, size and source, never its items. */
export async function auditVersion(ctx: Pick<RequestContext, "audit">, saved: DatasetVersionInfo): Promise<DatasetVersionInfo> {
  await ctx.audit.record({
    // Identical items name the latest version instead of making one; that is recorded as asked.
    action: saved.existing ? "datasets.version_reused" : "datasets.version_created",
    target: { kind: "dataset_version", id: `${saved.name}/${saved.version}` },
    after: { version: saved.version, digest: saved.digest, item_count: saved.itemCount, source: saved.source, queue_id: saved.queueId },
  });
  return saved;
}
