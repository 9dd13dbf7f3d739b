import "server-only";
import type { ClickHouseClient } from "@clickhouse/client";
import type { GatewayConfig } from "@/lib/gateway/config";
import { DAY_MS } from "./ab-data";
import { feedbackDaily } from "./ab-queries.server";
import { dayOf, weightsForDay } from "./allocation";

/**
 * The gateway's source of adaptive weights. Weights for a UTC day are a function of the feedback
 * recorded before that day (allocation.ts), read from ClickHouse; each app instance keeps what it
 * computed for a few minutes (TTL) and then reads again, so instances agree through the data, never
 * through shared memory. Rows recorded just before midnight that a recorder had not flushed yet are
 * picked up by the next read. When ClickHouse cannot answer (or not within a second), the configured
 * weights are used: a choice that does not depend on outcomes either, so the analysis stays valid,
 * though a sticky episode could then change variant.
 */
export interface Weighted {
  name: string;
  weight: number;
}

const MAX_ENTRIES = 1024;
const FAILURE_TTL_MS = 30_000;

export class Allocator {
  private readonly cache = new Map<string, { expires: number; weights: Promise<Weighted[]>; settled?: Weighted[] }>();

  constructor(
    private readonly client: ClickHouseClient,
    private readonly config: GatewayConfig,
    private readonly options: { ttlMs?: number; waitMs?: number; now?: () => number; log?: (message: string) => void } = {},
  ) {}

  /**
   * Weights for drawing a variant of `functionName` at time `at`; undefined when it is not adaptive.
   * An expired entry is served while it is read again (a past day's weights do not change once its
   * feedback is written); a day not seen yet is waited for, at most `waitMs` (1 s), after which
   * this draw uses the configured weights and the answer fills the cache when it comes.
   */
  async weights(functionName: string, at: number): Promise<Weighted[] | undefined> {
    const fn = this.config.functions[functionName];
    if (!fn?.adaptive) return undefined;
    const key = `${functionName}\0${dayOf(at)}`;
    const now = (this.options.now ?? Date.now)();
    const hit = this.cache.get(key);
    const configured = Object.entries(fn.variants).map(([name, v]) => ({ name, weight: v.weight }));
    if (hit && hit.expires > now) return hit.settled ?? this.atMostWait(hit.weights, configured);
    const entry: { expires: number; weights: Promise<Weighted[]>; settled?: Weighted[] } = {
      expires: now + (this.options.ttlMs ?? 300_000),
      weights: this.compute(functionName, dayOf(at)).then(
        (weights) => (entry.settled = weights),
        (error: unknown) => {
          this.options.log?.(`adaptive weights of ${functionName}: ${(error as Error).message}; using the configured weights`);
          entry.expires = now + FAILURE_TTL_MS;
          return (entry.settled = hit?.settled ?? configured);
        },
      ),
    };
    if (this.cache.size >= MAX_ENTRIES && !hit) this.cache.delete(this.cache.keys().next().value ?? "");
    this.cache.set(key, entry);
    return hit?.settled ?? this.atMostWait(entry.weights, configured);
  }

  private async atMostWait(weights: Promise<Weighted[]>, configured: Weighted[]): Promise<Weighted[]> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<Weighted[]>((resolve) => {
      timer = setTimeout(() => resolve(configured), this.options.waitMs ?? 1000);
      timer.unref?.();
    });
    return Promise.race([weights, late]).finally(() => clearTimeout(timer));
  }

  private async compute(functionName: string, day: number): Promise<Weighted[]> {
    const fn = this.config.functions[functionName]!;
    const settings = fn.adaptive!;
    const metric = this.config.metrics[settings.metric]!;
    const feedback = await feedbackDaily(this.client, functionName, settings.metric, day - settings.window_days * DAY_MS, day);
    const variants = Object.entries(fn.variants).map(([name, v]) => ({ name, weight: v.weight }));
    const shares = weightsForDay(feedback, day, variants, {
      metric,
      floor: settings.floor,
      minSamples: settings.min_samples,
      windowDays: settings.window_days,
      epsilon: settings.epsilon,
    });
    return variants.map((v) => ({ name: v.name, weight: shares.get(v.name) ?? 0 }));
  }
}

/**
 * When a variant is drawn: for a sticky episode, the time in its UUIDv7 id (the gateway mints
 * them, so a conversation keeps the weights of the day it began and its variant never changes
 * mid-way); otherwise the request's time.
 */
export function assignmentTime(episodeId: string | undefined, now: number): number {
  if (!episodeId || !/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i.test(episodeId)) return now;
  const ms = parseInt(episodeId.slice(0, 8) + episodeId.slice(9, 13), 16);
  return ms <= now ? ms : now;
}
