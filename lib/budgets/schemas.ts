import { z } from "zod";

/** `GET /api/budgets`: each limit's current windows, what is used against what is allowed. */
export const budgetUsageRow = z.object({
  subject: z.string(),
  metric: z.enum(["requests_per_minute", "tokens_per_minute", "cost_per_day", "cost_per_month"]),
  max: z.number(),
  used: z.number(),
  /** used / max (can pass 1: charges after the call may overshoot, alert mode never refuses). */
  share: z.number(),
  window_start: z.string(),
  window_end: z.string(),
});
export type BudgetUsageRow = z.infer<typeof budgetUsageRow>;

export const budgetStatusReply = z.object({
  /** Where the counters live; null when no limit is declared. */
  store: z.enum(["postgres", "redis"]).nullable(),
  limits: z.array(
    z.object({
      name: z.string(),
      scope: z.enum(["api_key", "function", "model", "tag"]),
      match: z.string(),
      mode: z.enum(["block", "alert"]),
      rows: z.array(budgetUsageRow),
    }),
  ),
  /** Set when the counters could not be read (the limits are still listed). */
  error: z.string().optional(),
});
export type BudgetStatus = z.infer<typeof budgetStatusReply>;
