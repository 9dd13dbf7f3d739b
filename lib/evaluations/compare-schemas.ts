import { z } from "zod";

/** The compare page's query: arms as `run` or `run:candidate`, the first being the baseline. */
export const compareQuery = z.object({
  arms: z
    .array(z.string().regex(/^[0-9a-f-]{36}(:[A-Za-z0-9_.-]+)?$/, "an arm is <run id> or <run id>:<candidate>"))
    .min(1, "give arms=<run id>[:<candidate>] at least once")
    .max(10)
    .transform((arms) => arms.map((a) => ({ runId: a.slice(0, 36), candidate: a.length > 37 ? a.slice(37) : undefined }))),
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
