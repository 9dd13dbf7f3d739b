import type { ClickHouseClient } from "@clickhouse/client";
import type { Db } from "@/db/client.server";
import type { ArtifactStore } from "@/lib/artifacts/store";
import type { RequestContext } from "@/lib/auth/context.server";

/** What the tracking and registry services run against: both stores, whichever engines back them. */
export interface TrackingContext {
  db: Db;
  clickhouse: ClickHouseClient;
  /** The artifact store; unset means the process's own (lib/artifacts/index.server.ts). Tests set it. */
  artifacts?: ArtifactStore;
}

/** The request context's stores, as the tracking and registry services take them. */
export function trackingContextOf(ctx: Pick<RequestContext, "stores">): TrackingContext {
  return { db: ctx.stores.postgres.db, clickhouse: ctx.stores.clickhouse.client };
}
