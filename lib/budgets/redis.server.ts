import "server-only";
import { Redis } from "ioredis";
import type { Counter, CounterValue, Period } from "./limits";
import type { CounterStore } from "./store";

const PREFIX = "llmops:budget";
const enc = encodeURIComponent;
const keyOf = (c: Pick<Counter, "limit" | "subject" | "period" | "windowStart">) =>
  `${PREFIX}:${c.period}:${c.windowStart}:${enc(c.limit)}:${enc(c.subject)}`;
const indexOf = (period: string, windowStart: number) => `${PREFIX}:index:${period}:${windowStart}`;

/**
 * Counters as Redis hashes (`requests`, `tokens`, `cost`), expiring with their window; one
 * pipeline per request (HINCRBY is atomic). A set per window lists its counters for the Cost page.
 */
export class RedisCounters implements CounterStore {
  readonly kind = "redis" as const;
  private readonly redis: Redis;

  constructor(url: string) {
    // Fail fast rather than queue while Redis is away: a request waits at most one connect timeout.
    this.redis = new Redis(url, { lazyConnect: false, enableOfflineQueue: true, maxRetriesPerRequest: 1, connectTimeout: 2_000 });
    this.redis.on("error", () => undefined);
  }

  hit(counters: Counter[]): Promise<CounterValue[]> {
    return this.run(counters, (p, key) => p.hincrby(key, "requests", 1));
  }

  charge(counters: Counter[], tokens: number, cost: number): Promise<CounterValue[]> {
    return this.run(counters, (p, key) => p.hincrby(key, "tokens", tokens).hincrbyfloat(key, "cost", cost));
  }

  private async run(counters: Counter[], add: (p: ReturnType<Redis["pipeline"]>, key: string) => unknown): Promise<CounterValue[]> {
    if (!counters.length) return [];
    const p = this.redis.pipeline();
    for (const c of counters) {
      const key = keyOf(c);
      add(p, key);
      p.hmget(key, "requests", "tokens", "cost");
      p.pexpireat(key, c.expiresAt);
      p.sadd(indexOf(c.period, c.windowStart), key);
      p.pexpireat(indexOf(c.period, c.windowStart), c.expiresAt);
    }
    const replies = (await p.exec()) ?? [];
    const failed = replies.find(([error]) => error);
    if (failed) throw failed[0];
    return replies
      .filter(([, value]) => Array.isArray(value))
      .map(([, value]) => {
        const [requests, tokens, cost] = value as (string | null)[];
        return { requests: Number(requests ?? 0), tokens: Number(tokens ?? 0), cost: Number(cost ?? 0) };
      });
  }

  async current(windows: { period: Period; windowStart: number }[]) {
    const out: (Pick<Counter, "limit" | "subject" | "period" | "windowStart"> & CounterValue)[] = [];
    for (const w of windows) {
      const keys = await this.redis.smembers(indexOf(w.period, w.windowStart));
      if (!keys.length) continue;
      const p = this.redis.pipeline();
      for (const key of keys) p.hmget(key, "requests", "tokens", "cost");
      const replies = (await p.exec()) ?? [];
      keys.forEach((key, i) => {
        const [, value] = replies[i] ?? [];
        const [requests, tokens, cost] = (value ?? []) as (string | null)[];
        const [limit, subject] = key.split(":").slice(-2).map(decodeURIComponent);
        out.push({
          limit: limit!,
          subject: subject!,
          period: w.period,
          windowStart: w.windowStart,
          requests: Number(requests ?? 0),
          tokens: Number(tokens ?? 0),
          cost: Number(cost ?? 0),
        });
      });
    }
    return out;
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
