import "server-only";
import { getGateway } from "@/lib/gateway/runtime.server";
import { onShutdown } from "@/lib/lifecycle.server";
import { getStores } from "@/lib/stores/index.server";
import { sweepPostgres } from "./sweep.server";
import { syncRetention } from "./sync.server";

const HOUR = 3_600_000;

/**
 * At start-up: ClickHouse TTLs set to the config (ClickHouse then expires rows itself, in merges);
 * then the Postgres sweep now and every hour. Nothing is kept between runs, so any number of app
 * servers may do it.
 */
export async function startRetention(): Promise<void> {
  const [stores, gateway] = await Promise.all([getStores(), getGateway()]);
  const log = (message: string) => console.warn(`[llmops] ${message}`);
  await syncRetention(stores.clickhouse.client, gateway.config, { cluster: stores.clickhouse.cluster, log });
  const sweep = () =>
    sweepPostgres(stores.postgres.db, gateway.config).then(
      (r) => r.snapshots && log(`retention: blanked ${r.snapshots} labelling snapshots past their retention`),
      (error: unknown) => log(`retention sweep failed: ${error instanceof Error ? error.message : String(error)}`),
    );
  void sweep();
  const timer = setInterval(() => void sweep(), HOUR);
  timer.unref?.();
  onShutdown("retention sweep", async () => clearInterval(timer));
}
