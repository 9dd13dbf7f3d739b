import "server-only";
import { getStores } from "@/lib/stores/index.server";
import type { DatasetsContext } from "./store.server";

/** Both stores of this process, as the datasets services take them. */
export async function datasetsContext(): Promise<DatasetsContext> {
  const stores = await getStores();
  return { db: stores.postgres.db, clickhouse: stores.clickhouse.client };
}
