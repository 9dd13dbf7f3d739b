import { z } from "zod";

/**
 * `[budgets]`: rate limits and spending caps on the gateway (lib/budgets/README.md).
 *
 * ```toml
 * [budgets]
 * store = "auto"                     # "postgres" | "redis" (LLMOPS_REDIS_URL) | "auto": redis when set
 * webhook_url = "https://hooks.example.com/llmops"   # alert-mode limits POST here
 * webhook_timeout_ms = 2000
 *
 * [budgets.limits.ci-bot]
 * api_key = "ci"                     # or function = "summarize", model = "smart", tag = "team=search"
 * requests_per_minute = 60           # "*" as the value: one counter per key / function / model / tag value
 * tokens_per_minute = 100000
 * cost_per_day = 5.0                 # US dollars, calendar day (UTC)
 * cost_per_month = 100.0             # calendar month (UTC)
 * mode = "block"                     # or "alert": a webhook instead of a 429
 * ```
 */
export const BUDGET_SCOPES = ["api_key", "function", "model", "tag"] as const;
export type BudgetScope = (typeof BUDGET_SCOPES)[number];

const TAG = /^[^=\s]{1,200}=[^\s]{1,200}$/;

const limitSchema = z
  .strictObject({
    api_key: z.string().min(1).max(200).optional(),
    function: z.string().min(1).max(200).optional(),
    model: z.string().min(1).max(200).optional(),
    /** `key=value`, or `key=*` for one counter per value of the tag. */
    tag: z.string().regex(TAG, 'a tag limit names "key=value" (or "key=*")').optional(),
    requests_per_minute: z.number().int().positive().optional(),
    tokens_per_minute: z.number().int().positive().optional(),
    cost_per_day: z.number().positive().optional(),
    cost_per_month: z.number().positive().optional(),
    mode: z.enum(["block", "alert"]).default("block"),
  })
  .refine((l) => BUDGET_SCOPES.filter((s) => l[s] !== undefined).length === 1, {
    message: "a limit names exactly one of api_key, function, model or tag",
  })
  .refine(
    (l) =>
      l.requests_per_minute !== undefined ||
      l.tokens_per_minute !== undefined ||
      l.cost_per_day !== undefined ||
      l.cost_per_month !== undefined,
    { message: "a limit sets at least one of requests_per_minute, tokens_per_minute, cost_per_day, cost_per_month" },
  );
export type LimitConfig = z.infer<typeof limitSchema>;

export const budgetsSchema = z
  .strictObject({
    store: z.enum(["auto", "postgres", "redis"]).default("auto"),
    webhook_url: z.url({ protocol: /^https?$/ }).optional(),
    webhook_timeout_ms: z.number().int().min(100).max(60_000).default(2_000),
    limits: z.record(z.string().regex(/^[A-Za-z0-9_.-]{1,100}$/, "limit names use letters, digits, _ . -"), limitSchema).default({}),
  })
  .superRefine((b, ctx) => {
    for (const [name, limit] of Object.entries(b.limits)) {
      if (limit.mode === "alert" && !b.webhook_url)
        ctx.addIssue({ code: "custom", path: ["limits", name, "mode"], message: 'mode "alert" needs [budgets] webhook_url' });
    }
  });
export type BudgetsConfig = z.infer<typeof budgetsSchema>;

export const BUDGETS_DEFAULTS: BudgetsConfig = { store: "auto", webhook_timeout_ms: 2_000, limits: {} };
