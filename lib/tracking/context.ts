import type { ClickHouseClient } from "@clickhouse/client";
import type { Db } from "@/db/client.server";

/** What the tracking and registry services run against: both stores, whichever engines back them. */
export interface TrackingContext {
  db: Db;
  clickhouse: ClickHouseClient;
}
