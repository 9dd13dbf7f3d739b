import { z } from "zod";

/**
 * `[retention]` (defaults) and `[functions.F.retention]` (per function), in days; unset keeps forever.
 *
 * ```toml
 * [retention]
 * inferences_days = 90     # inferences and their lookup tables
 * model_calls_days = 30
 * feedback_days = 365
 * traces_days = 30         # spans and trace tags
 * labelling_days = 90      # Postgres copies: labelling snapshots are blanked after this
 *
 * [functions.support.retention]
 * inferences_days = 7
 * ```
 */
const days = z.number().int().min(1).max(36_500).optional();

export const functionRetentionSchema = z.strictObject({
  inferences_days: days,
  model_calls_days: days,
  feedback_days: days,
  labelling_days: days,
});
export const retentionSchema = functionRetentionSchema.extend({ traces_days: days });
export type RetentionConfig = z.infer<typeof retentionSchema>;
export type FunctionRetention = z.infer<typeof functionRetentionSchema>;
