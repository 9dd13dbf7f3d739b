import "server-only";
import { randomUUID } from "node:crypto";
import { getEnv } from "@/lib/env.server";
import { closeStores, getStores, type Stores } from "@/lib/stores/index.server";
import { APP_VERSION } from "@/lib/version";

type Hook = { name: string; run: () => Promise<void> };
// Shared across Next's bundles (see lib/stores/index.server.ts for why it is on globalThis).
const STATE = Symbol.for("llmops.lifecycle");
type State = { instanceId: string; hooks: Hook[]; stopping?: Promise<void> };

function state(): State {
  const holder = globalThis as { [STATE]?: State };
  holder[STATE] ??= { instanceId: randomUUID(), hooks: [] };
  return holder[STATE];
}

/** Identifies this app process in logs and lifecycle events. */
export const instanceId = () => state().instanceId;

/**
 * Registers work that must finish before the process exits (for example flushing a buffered
 * writer). Hooks run in reverse order of registration, before the stores close.
 */
export function onShutdown(name: string, run: () => Promise<void>): void {
  state().hooks.push({ name, run });
}

async function recordEvent(kind: string, detail = ""): Promise<void> {
  const { clickhouse } = await getStores();
  await clickhouse.client.insert({
    table: "app_events",
    values: [{ instance_id: instanceId(), kind, app_version: APP_VERSION, detail }],
    format: "JSONEachRow",
  });
}

/** Opens the stores (running migrations) or exits with a message naming what is wrong. */
export async function start(): Promise<Stores> {
  let stores: Stores;
  try {
    const env = getEnv();
    stores = await getStores();
    await recordEvent("start", JSON.stringify({ pid: process.pid }));
    console.log(
      `[llmops] ${APP_VERSION} ready: Postgres ${stores.postgres.kind} (${stores.postgres.location}), ` +
        `ClickHouse ${stores.clickhouse.kind} (${stores.clickhouse.location}, database ${env.CLICKHOUSE_DATABASE})`,
    );
    const { bootstrapAuth } = await import("@/lib/auth/bootstrap.server");
    for (const line of await bootstrapAuth(stores.postgres.db, env)) console.log(`[llmops] ${line}`);
  } catch (error) {
    console.error(`[llmops] cannot start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => {
      console.log(`[llmops] ${signal}: shutting down`);
      void stop().then(
        () => process.exit(0),
        (error: unknown) => {
          console.error("[llmops] shutdown failed", error);
          process.exit(1);
        },
      );
    });
  }
  return stores;
}

/** Published by the HTTP server (scripts/http-drain.mjs): stops taking requests, lets those in flight finish. */
const DRAIN = Symbol.for("llmops.http.drain");

/**
 * The order shutdown needs: HTTP drained first (nothing new is answered, so nothing new is
 * recorded), then the hooks (the recorder's last flush), the stop event, and the stores last
 * (chDB after its merges are stopped and its last operation is done; lib/clickhouse/README.md).
 * Safe to call more than once.
 */
export function stop(): Promise<void> {
  const s = state();
  s.stopping ??= (async () => {
    const drain = (globalThis as { [DRAIN]?: () => Promise<void> })[DRAIN];
    if (drain) await drain().catch((error: unknown) => console.error("[llmops] draining HTTP failed", error));
    for (const hook of [...s.hooks].reverse()) {
      try {
        await hook.run();
      } catch (error) {
        console.error(`[llmops] shutdown hook ${hook.name} failed`, error);
      }
    }
    await recordEvent("stop").catch(() => undefined);
    await closeStores();
  })();
  return s.stopping;
}
