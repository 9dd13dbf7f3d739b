import { z } from "zod";

/** Promotion gate policies and verdicts; safe for the browser. */

export const gateCondition = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("threshold"),
    evaluator: z.string().min(1),
    stat: z.enum(["mean", "pass_rate"]).default("mean"),
    op: z.enum([">=", "<="]).default(">="),
    value: z.number(),
  }),
  z.object({ kind: z.literal("no_regression"), evaluators: z.array(z.string()).optional(), alpha: z.number().gt(0).lt(1).optional() }),
]);
export type GateCondition = z.infer<typeof gateCondition>;

export const gatePolicyInput = z.object({
  target_kind: z.enum(["registered", "function"]),
  /** A registered prompt or model's name, or a function's name. */
  // Bounded like the registry's own names and aliases: the policy's unique index holds them.
  target_name: z.string().min(1).max(256),
  alias: z.string().min(1).max(255).default("production"),
  mode: z.enum(["enforce", "warn"]).default("enforce"),
  /** Whose evaluation runs count as evidence (for a function policy, itself). */
  function: z.string().min(1).max(256),
  dataset: z.string().min(1).max(256),
  conditions: z.array(gateCondition).min(1).max(20),
});
export type GatePolicyInput = z.input<typeof gatePolicyInput>;

export const gatePolicy = z.object({
  id: z.string(),
  targetKind: z.enum(["registered", "function"]),
  targetName: z.string(),
  alias: z.string(),
  mode: z.enum(["enforce", "warn"]),
  functionName: z.string(),
  datasetName: z.string(),
  conditions: z.array(gateCondition),
  createdAt: z.number(),
});
export type GatePolicy = z.infer<typeof gatePolicy>;

export const conditionResult = z.object({
  policyId: z.string(),
  mode: z.enum(["enforce", "warn"]),
  description: z.string(),
  pass: z.boolean(),
  detail: z.string(),
  runId: z.string().nullable(),
});
export type ConditionResult = z.infer<typeof conditionResult>;

export const gateVerdict = z.object({
  name: z.string(),
  alias: z.string(),
  version: z.number(),
  /** none: no policy covers this move; pass; warn: a warn policy failed; fail: an enforce policy failed. */
  verdict: z.enum(["none", "pass", "warn", "fail"]),
  message: z.string(),
  policies: z.array(gatePolicy),
  conditions: z.array(conditionResult),
});
export type GateVerdict = z.infer<typeof gateVerdict>;

/** An admin moves despite a refusal, with a reason kept in gate_decisions and the audit log. */
export const gateOverride = z.object({
  override: z.literal(true),
  reason: z.string().trim().min(3).max(2000),
  actor: z.string().max(200).optional(),
});
