import { z } from "zod";

/**
 * The experiment settings of `llmops.toml`: a metric's minimum detectable effect, the sequential
 * design chosen per experiment (function + metric), and a function's adaptive allocation. Read by
 * the A/B page (lib/analytics) and, for the allocation, by the gateway's variant choice.
 *
 *   [metrics.helpful]
 *   mde = "5%"                      # relative to the control; mde = 0.02 is absolute (metric units)
 *
 *   [functions.summarize.experiments.helpful]
 *   design = "planned"              # or "open" (the default: always-valid mSPRT, no planned end)
 *   looks = 30                      # daily looks to the horizon
 *   start = "2026-12-01"            # optional UTC day the experiment started (its first look)
 *
 *   [functions.summarize.adaptive]
 *   metric = "helpful"              # traffic follows this metric (track-and-stop), once a day
 *   floor = 0.1                     # share every variant keeps
 */
export const mdeSchema = z
  .union([
    z.number().positive("mde must be above 0"),
    z.string().regex(/^\d+(\.\d+)?%$/, 'a relative mde is written as a percentage, e.g. "5%"'),
  ])
  .transform((v) => (typeof v === "number" ? { value: v, relative: false } : { value: Number(v.slice(0, -1)) / 100, relative: true }))
  .refine((v) => v.value > 0, "mde must be above 0");
export type MdeConfig = z.output<typeof mdeSchema>;

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
/** A UTC day, as "YYYY-MM-DD" or a TOML local date, read as epoch ms of its midnight. */
const daySchema = z.union([z.string(), z.date()]).transform((v, ctx) => {
  const text = typeof v === "string" ? v : v.toISOString().slice(0, 10);
  const ms = DAY.test(text) ? Date.parse(`${text}T00:00:00Z`) : NaN;
  if (Number.isNaN(ms)) {
    ctx.addIssue({ code: "custom", message: 'a day is written "YYYY-MM-DD"' });
    return z.NEVER;
  }
  return ms;
});

export const experimentSchema = z
  .strictObject({
    design: z.enum(["open", "planned"]).default("open"),
    /** Planned daily looks to the horizon. */
    looks: z.number().int().min(1).max(366).optional(),
    start: daySchema.optional(),
  })
  .refine((e) => e.design !== "planned" || e.looks !== undefined, {
    message: "a planned design needs `looks` (the number of daily looks to its horizon)",
    path: ["looks"],
  });
export type ExperimentConfig = z.output<typeof experimentSchema>;

export const adaptiveSchema = z.strictObject({
  /** The declared metric traffic follows. */
  metric: z.string().min(1),
  /** Share every variant of positive weight keeps, whatever the data says. */
  floor: z.number().min(0).max(0.5).default(0.05),
  /** Observations every variant needs before the weights move from the configured ones. */
  min_samples: z.number().int().min(1).default(100),
  /** Days of feedback the weights are computed from (ending at the start of the day they apply to). */
  window_days: z.number().int().min(1).max(90).default(14),
  /** Variants within this much of the leader count as good enough (metric units). */
  epsilon: z.number().min(0).default(0),
});
export type AdaptiveConfig = z.output<typeof adaptiveSchema>;

interface Checked {
  metrics: Record<string, unknown>;
  functions: Record<
    string,
    { variants: Record<string, { weight: number }>; experiments?: Record<string, unknown>; adaptive?: AdaptiveConfig }
  >;
}

/** Cross-field checks: experiments and allocations name declared metrics; floors fit the variants. */
export function checkExperiments(config: Checked, issue: (path: (string | number)[], message: string) => void): void {
  for (const [fnName, fn] of Object.entries(config.functions)) {
    for (const metric of Object.keys(fn.experiments ?? {})) {
      if (!config.metrics[metric]) issue(["functions", fnName, "experiments", metric], `unknown metric "${metric}"`);
    }
    if (!fn.adaptive) continue;
    if (!config.metrics[fn.adaptive.metric]) issue(["functions", fnName, "adaptive", "metric"], `unknown metric "${fn.adaptive.metric}"`);
    const drawn = Object.values(fn.variants).filter((v) => v.weight > 0).length;
    if (fn.adaptive.floor * drawn > 1)
      issue(
        ["functions", fnName, "adaptive", "floor"],
        `a floor of ${fn.adaptive.floor} for ${drawn} variants is more than all the traffic`,
      );
  }
}
