import { sql } from "drizzle-orm";
import { bigint, boolean, doublePrecision, index, integer, jsonb, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { datasetVersions } from "./datasets";

/**
 * Evaluation runs (issue 15): a function's candidates (variants, or a prompt version / model tried
 * as a variant) × a dataset version × evaluators × repetitions. Each (candidate, item, repetition)
 * is one `evaluation_items` row, the unit of work that workers claim with FOR UPDATE SKIP LOCKED
 * and a lease. Invariants: lib/evaluations/README.md. Times are epoch milliseconds.
 */

export const RUN_STATUSES = ["queued", "running", "finished", "failed", "cancelled"] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
export const ITEM_STATUSES = ["pending", "running", "done", "error"] as const;
export type ItemStatus = (typeof ITEM_STATUSES)[number];

/** Validated by lib/evaluations/schemas.ts. */
export type StoredCandidate = { key: string; variant?: string; prompt?: string; model?: string; registeredModelVersion?: string };
export type StoredEvaluator = Record<string, unknown> & { name: string; type: string };
export type StoredThreshold = { evaluator: string; stat: "mean" | "pass_rate"; op: ">=" | "<="; value: number };
export type StoredScore = { score: number; pass: boolean; reason?: string; judgeInferenceId?: string; error?: string };

export const evaluationRuns = pgTable(
  "evaluation_runs",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    functionName: text("function_name").notNull(),
    datasetVersionId: text("dataset_version_id").references(() => datasetVersions.id, { onDelete: "set null" }),
    candidates: jsonb("candidates").$type<StoredCandidate[]>().notNull(),
    evaluators: jsonb("evaluators").$type<StoredEvaluator[]>().notNull(),
    thresholds: jsonb("thresholds")
      .$type<StoredThreshold[]>()
      .notNull()
      .default(sql`'[]'::jsonb`),
    repetitions: integer("repetitions").notNull().default(1),
    concurrency: integer("concurrency").notNull().default(8),
    status: text("status").$type<RunStatus>().notNull().default("queued"),
    /** "native" (run here) or "promptfoo" (imported results.json). */
    source: text("source").notNull().default("native"),
    total: integer("total").notNull(),
    experimentId: bigint("experiment_id", { mode: "number" }),
    /** MLflow run id per candidate key. */
    mlflowRunIds: jsonb("mlflow_run_ids")
      .$type<Record<string, string>>()
      .notNull()
      .default(sql`'{}'::jsonb`),
    summary: jsonb("summary").$type<Record<string, unknown>>(),
    error: text("error"),
    createdAt: bigint("created_at", { mode: "number" }).notNull(),
    startedAt: bigint("started_at", { mode: "number" }),
    finishedAt: bigint("finished_at", { mode: "number" }),
  },
  (t) => [index("evaluation_runs_status_idx").on(t.status, t.createdAt), index("evaluation_runs_dataset_idx").on(t.datasetVersionId)],
);

export const evaluationItems = pgTable(
  "evaluation_items",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    runId: text("run_id")
      .notNull()
      .references(() => evaluationRuns.id, { onDelete: "cascade" }),
    candidate: text("candidate").notNull(),
    itemPosition: integer("item_position").notNull(),
    repetition: integer("repetition").notNull().default(0),
    status: text("status").$type<ItemStatus>().notNull().default("pending"),
    /** The claim: a worker owns a running item until lease_until; only the token's holder may finish it. */
    leaseOwner: text("lease_owner"),
    leaseToken: text("lease_token"),
    leaseUntil: bigint("lease_until", { mode: "number" }),
    attempts: integer("attempts").notNull().default(0),
    inferenceId: text("inference_id"),
    variantName: text("variant_name"),
    promptVersion: text("prompt_version"),
    output: text("output"),
    latencyMs: integer("latency_ms"),
    cost: doublePrecision("cost"),
    scores: jsonb("scores")
      .$type<Record<string, StoredScore>>()
      .notNull()
      .default(sql`'{}'::jsonb`),
    passed: boolean("passed"),
    error: text("error"),
    finishedAt: bigint("finished_at", { mode: "number" }),
  },
  (t) => [
    uniqueIndex("evaluation_items_unit_key").on(t.runId, t.candidate, t.itemPosition, t.repetition),
    index("evaluation_items_run_status_idx").on(t.runId, t.status, t.id),
  ],
);

/** A promotion policy: moving `alias` of a registered prompt/model, or of a prompt a function follows. */
export type StoredCondition =
  | { kind: "threshold"; evaluator: string; stat: "mean" | "pass_rate"; op: ">=" | "<="; value: number }
  | { kind: "no_regression"; evaluators?: string[]; alpha?: number };

export const gatePolicies = pgTable(
  "gate_policies",
  {
    id: text("id").primaryKey(),
    /** "registered" (a prompt or model by name) or "function" (every prompt its variants follow). */
    targetKind: text("target_kind").$type<"registered" | "function">().notNull(),
    targetName: text("target_name").notNull(),
    alias: text("alias").notNull(),
    mode: text("mode").$type<"enforce" | "warn">().notNull().default("enforce"),
    /** The function whose evaluation runs count as evidence. */
    functionName: text("function_name").notNull(),
    datasetName: text("dataset_name").notNull(),
    conditions: jsonb("conditions").$type<StoredCondition[]>().notNull(),
    createdAt: bigint("created_at", { mode: "number" }).notNull(),
  },
  (t) => [uniqueIndex("gate_policies_target_key").on(t.targetKind, t.targetName, t.alias)],
);

/** Every gated alias move: the verdict, the evidence, and overrides (the seam for issue 14's audit log). */
export const gateDecisions = pgTable(
  "gate_decisions",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    alias: text("alias").notNull(),
    version: integer("version").notNull(),
    verdict: text("verdict").$type<"pass" | "fail" | "warn" | "override">().notNull(),
    /** Where the move came from: "dashboard" or "mlflow". */
    surface: text("surface").notNull(),
    actor: text("actor").notNull().default(""),
    reason: text("reason").notNull().default(""),
    evidence: jsonb("evidence").$type<Record<string, unknown>>().notNull(),
    createdAt: bigint("created_at", { mode: "number" }).notNull(),
  },
  (t) => [index("gate_decisions_name_idx").on(t.name, t.createdAt)],
);
