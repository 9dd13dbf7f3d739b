import { afterAll, beforeAll, describe } from "vitest";
import type { TrackingContext } from "@/lib/tracking/context";
import { openTestClickHouse, type TestClickHouse } from "./clickhouse";
import { mlflowTestClient, type MlflowTestClient } from "./mlflow";
import { postgresBackends, type TestPostgres } from "./postgres";

export interface TrackingTestStores {
  ctx: TrackingContext;
  client: MlflowTestClient;
  pg: TestPostgres;
}

/**
 * Runs `body` once per Postgres backend (PGlite and the real server, each on a fresh database),
 * all against this file's one chDB (chDB allows one data folder per process). Run ids are UUIDs,
 * so the backends never see each other's metric history.
 */
export function describeTracking(name: string, body: (stores: () => TrackingTestStores) => void): void {
  let ch: TestClickHouse | undefined;
  beforeAll(async () => {
    ch = await openTestClickHouse();
  });
  afterAll(async () => ch?.cleanup());

  describe.each(postgresBackends)(`${name} on $name`, (backend) => {
    let stores: TrackingTestStores | undefined;
    beforeAll(async () => {
      const pg = await backend.open();
      if (!ch) throw new Error("ClickHouse was not opened");
      const ctx = { db: pg.store.db, clickhouse: ch.store.client };
      stores = { ctx, client: mlflowTestClient(ctx), pg };
    });
    afterAll(async () => stores?.pg.cleanup());
    body(() => {
      if (!stores) throw new Error("stores are opened in beforeAll");
      return stores;
    });
  });
}
