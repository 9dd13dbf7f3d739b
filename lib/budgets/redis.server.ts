import "server-only";
import { createHash } from "node:crypto";
import { Redis } from "ioredis";
import type { Counter, CounterValue, Period } from "./limits";
import type { CounterOp, CounterResult, CounterStore } from "./store";

const PREFIX = "llmops:budget";
const enc = encodeURIComponent;
const keyOf = (c: Pick<Counter, "limit" | "subject" | "period" | "windowStart">) =>
  `${PREFIX}:${c.period}:${c.windowStart}:${enc(c.limit)}:${enc(c.subject)}`;
const indexOf = (period: string, windowStart: number) => `${PREFIX}:index:${period}:${windowStart}`;

/**
 * KEYS: n counter hashes, then their n window index sets; ARGV, 6 per counter: requests wanted, cap
 * (-1: none), alert (1/0), tokens, cost, expiry (epoch ms). Per counter: the grant (only what is
 * left under a block-mode cap), then requests, tokens, cost after. Atomic, like every Lua script.
 */
const ADD_SCRIPT = `
local n = #KEYS / 2
local out = {}
for i = 1, n do
  local k = KEYS[i]
  local j = (i - 1) * 6
  local want = tonumber(ARGV[j + 1])
  local cap = tonumber(ARGV[j + 2])
  local grant = want
  if want > 0 and cap >= 0 then
    local used = tonumber(redis.call('HGET', k, 'requests') or '0')
    if used < cap then grant = math.min(want, cap - used) elseif ARGV[j + 3] ~= '1' then grant = 0 end
  end
  if grant > 0 then redis.call('HINCRBY', k, 'requests', grant) end
  if ARGV[j + 4] ~= '0' then redis.call('HINCRBY', k, 'tokens', ARGV[j + 4]) end
  if ARGV[j + 5] ~= '0' then redis.call('HINCRBYFLOAT', k, 'cost', ARGV[j + 5]) end
  redis.call('PEXPIREAT', k, ARGV[j + 6])
  redis.call('SADD', KEYS[n + i], k)
  redis.call('PEXPIREAT', KEYS[n + i], ARGV[j + 6])
  local v = redis.call('HMGET', k, 'requests', 'tokens', 'cost')
  out[i] = { tostring(grant), v[1], v[2], v[3] }
end
return out`;

/**
 * Counters as Redis hashes (`requests`, `tokens`, `cost`), expiring with their window; one Lua
 * script call per statement (a lease, coalesced charges; atomic). A set per window lists its counters for the Cost page.
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

  /** One EVALSHA (the script above) however many counters: one command to build and parse, atomic. */
  async add(ops: CounterOp[]): Promise<CounterResult[]> {
    if (!ops.length) return [];
    const keys = [...ops.map((o) => keyOf(o.counter)), ...ops.map((o) => indexOf(o.counter.period, o.counter.windowStart))];
    const args = ops.flatMap((o) => [
      String(o.requests),
      String(o.cap ?? -1),
      o.alert ? "1" : "0",
      String(Math.round(o.tokens)),
      String(o.cost),
      String(o.counter.expiresAt),
    ]);
    const replies = (await this.redis.evalsha(this.sha, keys.length, ...keys, ...args).catch((error: unknown) => {
      if (!String(error).includes("NOSCRIPT")) throw error;
      return this.redis.eval(ADD_SCRIPT, keys.length, ...keys, ...args);
    })) as (string | null)[][];
    return replies.map(([g, r, t, c]) => ({
      granted: Number(g ?? 0),
      requests: Number(r ?? 0),
      tokens: Number(t ?? 0),
      cost: Number(c ?? 0),
    }));
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
