import "server-only";
import { eq, sql } from "drizzle-orm";
import { appMeta } from "@/db/schema";
import type { Stores } from "@/lib/stores/index.server";
import type { DemoSeeder } from "./types";

/**
 * The demo workspace: each feature brings a seeder (gateway traffic, tracking runs, labelling
 * queues…), and the start-up code (instrumentation.ts) hands the list to `seedDemo`, so this module
 * imports no domain and no domain imports more of it than `./types`. Seeders run in order, in the
 * background after start-up, once per data store: the first app server to claim a seeder's key in
 * app_meta runs it, so several servers never seed twice. A seeder must only use the app's own write
 * paths (the gateway, the tracking services), so the demo shows what real use produces.
 */

const metaKey = (seeder: DemoSeeder) => `demo:${seeder.key}`;

/** Claims the seeder atomically; false when another process (or an earlier start) has it. */
async function claim(stores: Stores, seeder: DemoSeeder): Promise<boolean> {
  const inserted = await stores.postgres.db
    .insert(appMeta)
    .values({ key: metaKey(seeder), value: { state: "running", startedAt: new Date().toISOString() } })
    .onConflictDoNothing()
    .returning({ key: appMeta.key });
  return inserted.length === 1;
}

async function mark(stores: Stores, seeder: DemoSeeder, value: Record<string, unknown>): Promise<void> {
  await stores.postgres.db
    .update(appMeta)
    .set({ value, updatedAt: sql`now()` })
    .where(eq(appMeta.key, metaKey(seeder)));
}

/** Runs every seeder not yet run on these stores. Errors are logged, never thrown. */
export async function seedDemo(stores: Stores, seeders: readonly DemoSeeder[]): Promise<void> {
  const log = (message: string) => console.log(`[llmops] demo: ${message}`);
  for (const seeder of seeders) {
    try {
      if (!(await claim(stores, seeder))) continue;
      const started = Date.now();
      await seeder.run(stores, log);
      await mark(stores, seeder, { state: "done", ms: Date.now() - started });
      log(`${seeder.key} seeded in ${Date.now() - started} ms`);
    } catch (error) {
      console.error(`[llmops] demo: ${seeder.key} failed`, error);
      await mark(stores, seeder, { state: "failed", error: String(error) }).catch(() => undefined);
    }
  }
}
