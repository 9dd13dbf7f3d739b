import { z } from "zod";

export const runtimeStatusSchema = z.object({
  functionName: z.string(),
  sampleRate: z.number(),
  evaluators: z.array(z.string()),
  maxBacklog: z.number(),
  last15m: z.object({ seen: z.number(), sampled: z.number(), shed: z.number(), share: z.number().nullable(), lowestRate: z.number() }),
  backlog: z.number(),
  last24h: z.object({ done: z.number(), errors: z.number(), judgeCalls: z.number(), judgeCost: z.number() }),
  lastError: z.string().nullable(),
  /** Set when sampling was cut because judges fell behind: what happened, in words. */
  backpressure: z.string().nullable(),
});
export type RuntimeStatus = z.infer<typeof runtimeStatusSchema>;
