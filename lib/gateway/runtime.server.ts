import "server-only";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { Allocator, assignmentTime } from "@/lib/analytics/allocation.server";
import { getEnv } from "@/lib/env.server";
import { instanceId, onShutdown } from "@/lib/lifecycle.server";
import { getStores, type Stores } from "@/lib/stores/index.server";
import { parseConfig, type GatewayConfig } from "./config";
import { Gateway } from "./gateway.server";
import { PromptResolver } from "./prompts.server";
import { DeadLetters } from "./dead-letters.server";
import { Spool } from "./spool.server";
import { PolicyRecorder } from "@/lib/data-policy/recorder.server";
import { piiRowPolicy } from "@/lib/pii/row-policy.server";
import { RuntimeSampler } from "@/lib/runtime-evaluation/sampler.server";

/** The config file: `LLMOPS_CONFIG`, else `llmops.toml` in the working directory. */
export function configPath(env: NodeJS.ProcessEnv = process.env): { file: string; explicit: boolean } {
  const given = env.LLMOPS_CONFIG?.trim();
  return given ? { file: path.resolve(given), explicit: true } : { file: path.resolve("llmops.toml"), explicit: false };
}

/** Reads and validates the config; a missing default file means an empty config (no functions). */
export async function loadConfigFile(env: NodeJS.ProcessEnv = process.env): Promise<GatewayConfig> {
  const { file, explicit } = configPath(env);
  if (!existsSync(file)) {
    if (explicit) throw new Error(`LLMOPS_CONFIG=${file}: no such file`);
    console.warn(`[llmops] gateway: no ${file}; the gateway starts with no providers, models or functions`);
    return parseConfig("", file);
  }
  return parseConfig(await readFile(file, "utf8"), path.relative(process.cwd(), file) || file);
}

/** Builds a gateway on open stores: registers inline prompts, starts a recorder. */
export async function createGateway(
  stores: Stores,
  config: GatewayConfig,
  options: {
    random?: () => number;
    promptRefTtlMs?: number;
    /** The spool's folder; default LLMOPS_DATA_DIR/spool; null: no spool (as `recorder.spool = false`). */
    spoolDir?: string | null;
  } = {},
): Promise<Gateway> {
  const prompts = new PromptResolver(stores.postgres.db, options.promptRefTtlMs);
  await prompts.registerInline(config);
  const log = (message: string) => console.warn(`[llmops] gateway ${message}`);
  const spoolDir = options.spoolDir === undefined ? path.join(getEnv().dataDir, "spool") : options.spoolDir;
  const spool =
    config.recorder.enabled && config.recorder.spool && spoolDir
      ? new Spool({ dir: spoolDir, instanceId: instanceId(), fsyncMs: config.recorder.fsync_ms, log })
      : undefined;
  // Data policies (runtime evaluation's sampling, PII at rest) sit in front of the recorder, so
  // neither ClickHouse nor the spool ever holds a row the policy would not store.
  const sampler = new RuntimeSampler(stores.postgres.db, config, {
    delayMs: config.recorder.flush_ms,
    log: (message) => console.warn(`[llmops] ${message}`),
  });
  const recorder = new PolicyRecorder(
    stores.clickhouse.client,
    {
      enabled: config.recorder.enabled,
      batchSize: config.recorder.batch_size,
      flushMs: config.recorder.flush_ms,
      maxBufferedRows: config.recorder.max_buffered_rows,
      maxBufferedBytes: config.recorder.max_buffered_bytes,
      spool,
      deadLetters: new DeadLetters(stores.postgres.db, instanceId()),
      log,
    },
    { taps: sampler.active ? [sampler] : [], rows: piiRowPolicy(config) },
  );
  // Adaptive weights come from the recorded feedback (ClickHouse), never from this process's memory.
  const allocator = new Allocator(stores.clickhouse.client, config, { log: (message) => console.warn(`[llmops] gateway ${message}`) });
  return new Gateway({
    config,
    stores,
    recorder,
    prompts,
    random: options.random,
    allocation: (functionName, episodeId, at) => allocator.weights(functionName, assignmentTime(episodeId, at)),
  });
}

// Shared by every bundle of the process (Next's and the lean server's), like the stores.
const KEY = Symbol.for("llmops.gateway.instance");
type Holder = { [KEY]?: Promise<Gateway> };

/** The process's gateway: config loaded and prompts registered once; its recorder flushes on shutdown. */
export function getGateway(): Promise<Gateway> {
  const holder = globalThis as Holder;
  holder[KEY] ??= (async () => {
    const stores = await getStores();
    const gateway = await createGateway(stores, await loadConfigFile());
    onShutdown("gateway recorder", async () => {
      await gateway.recorder.close();
      await Promise.allSettled([...gateway.providers.values()].map((p) => p.close?.()));
    });
    return gateway;
  })().catch((error: unknown) => {
    delete holder[KEY];
    throw error;
  });
  return holder[KEY];
}
