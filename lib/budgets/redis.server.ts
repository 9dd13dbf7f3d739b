import "server-only";
import { createHash } from "node:crypto";
import { Redis } from "ioredis";
import type { Counter, CounterValue, Period } from "./limits";
import type { CounterStore } from "./store";

const PREFIX = "llmops:budget";
const enc = encodeURIComponent;
const keyOf = (c: Pick<Counter, "limit" | "subject" | "period" | "windowStart">) =>
  `${PREFIX}:${c.period}:${c.windowStart}:${enc(c.limit)}:${enc(c.subject)}`;
const indexOf = (period: string, windowStart: number) => `${PREFIX}:index:${period}:${windowStart}`;

/**
 * KEYS: n counter hashes, then their n window index sets; ARGV: requests, tokens, cost to add, then
 * each counter's expiry (epoch ms). Returns each counter's requests, tokens and cost after.
 */
const ADD_SCRIPT = `
local n = #KEYS / 2
local out = {}
for i = 1, n do
  local k = KEYS[i]
  if ARGV[1] ~= '0' then redis.call('HINCRBY', k, 'requests', ARGV[1]) end
  if ARGV[2] ~= '0' then redis.call('HINCRBY', k, 'tokens', ARGV[2]) end
  if ARGV[3] ~= '0' then redis.call('HINCRBYFLOAT', k, 'cost', ARGV[3]) end
  redis.call('PEXPIREAT', k, ARGV[3 + i])
  redis.call('SADD', KEYS[n + i], k)
  redis.call('PEXPIREAT', KEYS[n + i], ARGV[3 + i])
  out[i] = redis.call('HMGET', k, 'requests', 'tokens', 'cost')
end
return out`;

/**
 * Counters as Redis hashes (`requests`, `tokens`, `cost`), expiring with their window; one Lua
 * script call per check or charge (atomic). A set per window lists its counters for the Cost page.
 */
export class RedisCounters implements CounterStore {
  readonly kind = "redis" as const;
  private readonly redis: Redis;
  private readonly sha = createHash("sha1").update(ADD_SCRIPT).digest("hex");

  constructor(url: string) {
    // Fail fast rather than queue while Redis is away: a request waits at most one connect timeout.
    this.redis = new Redis(url, { lazyConnect: false, enableOfflineQueue: true, maxRetriesPerRequest: 1, connectTimeout: 2_000 });
    this.redis.on("error", () => undefined);
  }

  hit(counters: Counter[]): Promise<CounterValue[]> {
    return this.add(counters, 1, 0, 0);
  }

  charge(counters: Counter[], tokens: number, cost: number): Promise<CounterValue[]> {
    return this.add(counters, 0, tokens, cost);
  }

  /** One EVALSHA (the script below) however many counters: one command to build and parse, atomic. */
  private async add(counters: Counter[], requests: number, tokens: number, cost: number): Promise<CounterValue[]> {
    if (!counters.length) return [];
    const keys = [...counters.map(keyOf), ...counters.map((c) => indexOf(c.period, c.windowStart))];
    const args = [String(requests), String(tokens), String(cost), ...counters.map((c) => String(c.expiresAt))];
    const replies = (await this.redis.evalsha(this.sha, keys.length, ...keys, ...args).catch((error: unknown) => {
      if (!String(error).includes("NOSCRIPT")) throw error;
      return this.redis.eval(ADD_SCRIPT, keys.length, ...keys, ...args);
    })) as (string | null)[][];
    return replies.map(([r, t, c]) => ({ requests: Number(r ?? 0), tokens: Number(t ?? 0), cost: Number(c ?? 0) }));
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
