import { z } from "zod";
import { evaluatorSpec, judgeTarget } from "./evaluator-spec";

/** Wire shapes of evaluation runs; safe for the browser. */

export const RUN_STATUSES = ["queued", "running", "finished", "failed", "cancelled"] as const;

/** A candidate: a configured variant, or a prompt version / model tried as a variant without editing the config. */
export const candidateInput = z
  .object({
    variant: z.string().min(1).optional(),
    /** A prompt registry reference: `prompts:/name/3` or `prompts:/name@staging`. */
    prompt: z.string().startsWith("prompts:/").optional(),
    model: z.string().min(1).optional(),
    /** A registered model version this candidate stands for (`name/3`), for the promotion gate on models. */
    registered_model_version: z
      .string()
      .regex(/^.+\/\d+$/)
      .optional(),
  })
  .strict()
  .refine((c) => c.variant || c.prompt || c.model, "a candidate names a variant, a prompt version or a model");
export type CandidateInput = z.infer<typeof candidateInput>;

export const thresholdInput = z.object({
  evaluator: z.string().min(1),
  stat: z.enum(["mean", "pass_rate"]).default("mean"),
  op: z.enum([">=", "<="]).default(">="),
  value: z.number(),
});

export const createRunInput = z.object({
  name: z.string().min(1).max(200).optional(),
  function: z.string().min(1),
  dataset: z.object({ name: z.string().min(1), version: z.number().int().positive().optional() }),
  candidates: z.array(candidateInput).min(1).max(10),
  /** Evaluators for this run, added to the function's own (`[functions.F.evaluators]`) unless `config_evaluators` is false. */
  evaluators: z.array(evaluatorSpec).max(50).default([]),
  config_evaluators: z.boolean().default(true),
  /** The judge for judge evaluators that name none. */
  judge: judgeTarget.optional(),
  repetitions: z.number().int().min(1).max(20).default(1),
  concurrency: z.number().int().min(1).max(256).default(8),
  thresholds: z.array(thresholdInput).max(50).default([]),
});
export type CreateRunInput = z.input<typeof createRunInput>;

const interval = z.tuple([z.number(), z.number()]).nullable();

export const evaluatorSummary = z.object({
  n: z.number(),
  errors: z.number(),
  mean: z.number().nullable(),
  meanCi: interval,
  passRate: z.number().nullable(),
  passCi: interval,
});
export type EvaluatorSummary = z.infer<typeof evaluatorSummary>;

export const candidateSummary = z.object({
  candidate: z.string(),
  done: z.number(),
  errors: z.number(),
  passRate: z.number().nullable(),
  passCi: interval,
  cost: z.object({ mean: z.number().nullable(), total: z.number() }),
  latency: z.object({ p50: z.number().nullable(), p95: z.number().nullable() }),
  evaluators: z.record(z.string(), evaluatorSummary),
});
export type CandidateSummary = z.infer<typeof candidateSummary>;

export const progress = z.object({
  total: z.number(),
  done: z.number(),
  errors: z.number(),
  running: z.number(),
  pending: z.number(),
  /** Seconds left at the rate so far; null before the first item or once finished. */
  etaSeconds: z.number().nullable(),
});

export const thresholdResult = z.object({
  evaluator: z.string(),
  candidate: z.string(),
  stat: z.enum(["mean", "pass_rate"]),
  op: z.enum([">=", "<="]),
  value: z.number(),
  actual: z.number().nullable(),
  pass: z.boolean(),
});

export const runView = z.object({
  id: z.string(),
  name: z.string(),
  function: z.string(),
  status: z.enum(RUN_STATUSES),
  source: z.string(),
  dataset: z.object({ name: z.string(), version: z.number(), digest: z.string() }).nullable(),
  candidates: z.array(
    z.object({
      key: z.string(),
      variant: z.string().optional(),
      prompt: z.string().optional(),
      model: z.string().optional(),
      registeredModelVersion: z.string().optional(),
    }),
  ),
  evaluators: z.array(z.object({ name: z.string(), type: z.string() }).passthrough()),
  repetitions: z.number(),
  concurrency: z.number(),
  progress,
  summary: z.array(candidateSummary),
  thresholds: z.array(thresholdResult),
  mlflow: z.object({ experimentId: z.string().nullable(), runIds: z.record(z.string(), z.string()) }),
  error: z.string().nullable(),
  createdAt: z.number(),
  startedAt: z.number().nullable(),
  finishedAt: z.number().nullable(),
});
export type RunView = z.infer<typeof runView>;

export const runListEntry = runView
  .pick({
    id: true,
    name: true,
    function: true,
    status: true,
    source: true,
    dataset: true,
    progress: true,
    createdAt: true,
    finishedAt: true,
  })
  .extend({ candidates: z.array(z.string()) });
export type RunListEntry = z.infer<typeof runListEntry>;

export const itemView = z.object({
  id: z.number(),
  candidate: z.string(),
  position: z.number(),
  repetition: z.number(),
  status: z.enum(["pending", "running", "done", "error"]),
  input: z.string(),
  expected: z.string().nullable(),
  output: z.string().nullable(),
  inferenceId: z.string().nullable(),
  variant: z.string().nullable(),
  promptVersion: z.string().nullable(),
  latencyMs: z.number().nullable(),
  cost: z.number().nullable(),
  passed: z.boolean().nullable(),
  scores: z.record(
    z.string(),
    z.object({
      score: z.number(),
      pass: z.boolean(),
      reason: z.string().optional(),
      judgeInferenceId: z.string().optional(),
      error: z.string().optional(),
    }),
  ),
  error: z.string().nullable(),
});
export type ItemView = z.infer<typeof itemView>;

/** A run `mlflow.genai.evaluate` made through the MLflow API (tag `mlflow.run.isEval`), listed beside ours. */
export const mlflowGenaiRunEntry = z.object({
  runId: z.string(),
  experimentId: z.string(),
  experimentName: z.string(),
  name: z.string(),
  status: z.string(),
  startTime: z.number(),
  endTime: z.number().nullable(),
  /** `<scorer>/mean` and the other aggregates genai.evaluate logs, by metric key. */
  metrics: z.record(z.string(), z.number()),
  /** The traces linked to the run: one per evaluated row, carrying its assessments. */
  traces: z.number(),
});
export type MlflowGenaiRunEntry = z.infer<typeof mlflowGenaiRunEntry>;
