import "server-only";
import { getStores } from "@/lib/stores/index.server";
import type { TrackingContext } from "@/lib/tracking/context";

/** The tracking services' context on the app's stores, for pages and routes. */
export async function trackingContext(): Promise<TrackingContext> {
  const stores = await getStores();
  return { db: stores.postgres.db, clickhouse: stores.clickhouse.client };
}
