import { bigint, doublePrecision, index, integer, pgTable, primaryKey, text, uniqueIndex } from "drizzle-orm/pg-core";

/**
 * Runtime evaluation (issue 18): a sampled share of production inferences is scored by the
 * function's evaluators in the background. Each sampled inference is one `runtime_eval_jobs` row,
 * claimed with FOR UPDATE SKIP LOCKED under a lease like evaluation units; `runtime_eval_windows`
 * counts, per function and minute, the inferences seen, sampled and shed by backpressure, so every
 * app server reads the same figures. Invariants: lib/runtime-evaluation/README.md. Times are epoch ms.
 */

export const RUNTIME_JOB_STATUSES = ["pending", "running", "done", "error"] as const;
export type RuntimeJobStatus = (typeof RUNTIME_JOB_STATUSES)[number];

export const runtimeEvalJobs = pgTable(
  "runtime_eval_jobs",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    functionName: text("function_name").notNull(),
    inferenceId: text("inference_id").notNull(),
    /** The inference's time, to bound the ClickHouse lookup. */
    inferenceAt: bigint("inference_at", { mode: "number" }).notNull(),
    status: text("status").$type<RuntimeJobStatus>().notNull().default("pending"),
    leaseOwner: text("lease_owner"),
    leaseToken: text("lease_token"),
    leaseUntil: bigint("lease_until", { mode: "number" }),
    attempts: integer("attempts").notNull().default(0),
    /** Not claimed before this time (the inference may still sit in a recorder's buffer). */
    notBefore: bigint("not_before", { mode: "number" }).notNull(),
    scores: integer("scores").notNull().default(0),
    judgeCalls: integer("judge_calls").notNull().default(0),
    /** US dollars spent by this job's judge calls (tokens × the judge model's price). */
    judgeCost: doublePrecision("judge_cost").notNull().default(0),
    error: text("error"),
    createdAt: bigint("created_at", { mode: "number" }).notNull(),
    finishedAt: bigint("finished_at", { mode: "number" }),
  },
  (t) => [
    uniqueIndex("runtime_eval_jobs_inference_key").on(t.inferenceId),
    index("runtime_eval_jobs_claim_idx").on(t.status, t.notBefore, t.id),
    index("runtime_eval_jobs_function_idx").on(t.functionName, t.status, t.createdAt),
  ],
);

/** Per function and minute: inferences eligible, sampled (jobs created) and shed because judges fell behind. */
export const runtimeEvalWindows = pgTable(
  "runtime_eval_windows",
  {
    functionName: text("function_name").notNull(),
    bucket: bigint("bucket", { mode: "number" }).notNull(),
    seen: integer("seen").notNull().default(0),
    sampled: integer("sampled").notNull().default(0),
    shed: integer("shed").notNull().default(0),
    /** The lowest sampling rate applied in the minute (configured rate when no backpressure). */
    effectiveRate: doublePrecision("effective_rate").notNull(),
  },
  (t) => [primaryKey({ columns: [t.functionName, t.bucket] })],
);
