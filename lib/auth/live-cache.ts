/**
 * The per-process cache of live credentials (API keys, sessions), keyed by their SHA-256: an entry
 * is trusted for LIVE_MS, then looked up in Postgres again. It is what bounds how long a revoked
 * key or ended session keeps working on another instance (lib/auth/README.md). Only live
 * credentials are kept; at MAX entries the cache starts over rather than track usage.
 */
export const LIVE_MS = 5_000;
const MAX = 10_000;

export class LiveCache<V> {
  private readonly entries = new Map<string, { value: V; until: number }>();

  get(hash: string, now = Date.now()): V | undefined {
    const hit = this.entries.get(hash);
    if (hit && hit.until > now) return hit.value;
    this.entries.delete(hash);
    return undefined;
  }

  set(hash: string, value: V, now = Date.now()): void {
    if (this.entries.size >= MAX) this.entries.clear();
    this.entries.set(hash, { value, until: now + LIVE_MS });
  }

  /** Forgets one credential, or all of them. */
  forget(hash?: string): void {
    if (hash === undefined) this.entries.clear();
    else this.entries.delete(hash);
  }
}
