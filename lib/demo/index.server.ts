import "server-only";
import { eq, sql } from "drizzle-orm";
import { appMeta } from "@/db/schema";
import { gatewayDemoSeeder } from "@/lib/gateway/demo.server";
import { evaluationsDemoSeeder } from "@/lib/evaluations/demo.server";
import { labellingDemoSeeder } from "@/lib/labelling/demo.server";
import type { Stores } from "@/lib/stores/index.server";
import { tracesDemoSeeder } from "@/lib/traces/demo.server";
import { trackingSeeder } from "./tracking.server";

/**
 * The demo workspace: each feature adds a seeder here (gateway traffic, tracking runs, labelling
 * queues…). They run in order, in the background after start-up, once per data store: the first
 * app server to claim a seeder's key in app_meta runs it, so several servers never seed twice.
 * A seeder must only use the app's own write paths (the gateway, the tracking services), so the
 * demo shows what real use produces.
 */
export interface DemoSeeder {
  /** Stable key; changing it seeds again on existing stores. */
  key: string;
  run(stores: Stores, log: (message: string) => void): Promise<void>;
}

export const DEMO_SEEDERS: DemoSeeder[] = [gatewayDemoSeeder, trackingSeeder, labellingDemoSeeder, evaluationsDemoSeeder, tracesDemoSeeder];

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
export async function seedDemo(stores: Stores, seeders: DemoSeeder[] = DEMO_SEEDERS): Promise<void> {
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
