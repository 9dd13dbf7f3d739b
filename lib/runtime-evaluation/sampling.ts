import { createHash } from "node:crypto";

/**
 * Sampling is a pure function of the inference id: `sampleKey(id)` is uniform on [0, 1) and an
 * inference is sampled when its key is below the rate in force. So every app server takes the same
 * decision for the same inference, and no counter has to agree between them.
 */
export function sampleKey(inferenceId: string): number {
  const digest = createHash("sha1").update(inferenceId).digest();
  return digest.readUIntBE(0, 6) / 2 ** 48;
}

/**
 * The rate in force given the jobs waiting: the configured rate up to half of `maxBacklog`, then
 * falling linearly to 0 at `maxBacklog` (judges behind: sample less rather than queue without end).
 */
export function effectiveRate(rate: number, backlog: number, maxBacklog: number): number {
  const knee = maxBacklog / 2;
  if (backlog <= knee) return rate;
  if (backlog >= maxBacklog) return 0;
  return rate * ((maxBacklog - backlog) / (maxBacklog - knee));
}

/** The minute an instant falls in (epoch ms), the counters' bucket. */
export const minuteOf = (ms: number) => Math.floor(ms / 60_000) * 60_000;
