import { sql } from "drizzle-orm";
import { bigint, doublePrecision, index, jsonb, pgTable, primaryKey, text, unique } from "drizzle-orm/pg-core";
import { experiments } from "./experiments";

/**
 * MLflow runs with their params, tags, dataset inputs and the latest value of each metric. The
 * full metric history lives in ClickHouse (`metric_history`); `latest_metrics` keeps, per run and
 * key, the point with the greatest (step, timestamp, value), which is what runs/get returns and
 * what search filters and sorts on. Times are epoch milliseconds, as MLflow speaks them.
 */
export const runs = pgTable(
  "runs",
  {
    runId: text("run_id").primaryKey(),
    experimentId: bigint("experiment_id", { mode: "number" })
      .notNull()
      .references(() => experiments.experimentId),
    name: text("name").notNull().default(""),
    userId: text("user_id").notNull().default(""),
    status: text("status").notNull(),
    startTime: bigint("start_time", { mode: "number" }).notNull(),
    endTime: bigint("end_time", { mode: "number" }),
    deletedTime: bigint("deleted_time", { mode: "number" }),
    artifactUri: text("artifact_uri").notNull(),
    lifecycleStage: text("lifecycle_stage").notNull().default("active"),
  },
  // Search's default order within the experiments asked for: newest first, run id breaking ties.
  (t) => [index("runs_experiment_start_idx").on(t.experimentId, t.startTime.desc().nullsFirst(), t.runId)],
);

const onRun = { onDelete: "cascade" } as const;

/** Immutable once logged: the same value again is a no-op, another value is rejected. */
export const runParams = pgTable(
  "run_params",
  {
    runId: text("run_id")
      .notNull()
      .references(() => runs.runId, onRun),
    key: text("key").notNull(),
    value: text("value").notNull(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.key] })],
);

export const runTags = pgTable(
  "run_tags",
  {
    runId: text("run_id")
      .notNull()
      .references(() => runs.runId, onRun),
    key: text("key").notNull(),
    value: text("value").notNull(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.key] })],
);

export const latestMetrics = pgTable(
  "latest_metrics",
  {
    runId: text("run_id")
      .notNull()
      .references(() => runs.runId, onRun),
    /** The run's experiment (runs never move), so that an experiment's metric index is its own. */
    experimentId: bigint("experiment_id", { mode: "number" }).notNull(),
    key: text("key").notNull(),
    /** NaN and ±Infinity are stored as such (double precision holds them). */
    value: doublePrecision("value").notNull(),
    timestamp: bigint("timestamp", { mode: "number" }).notNull(),
    step: bigint("step", { mode: "number" }).notNull(),
  },
  // Metric filters (`metrics.acc > 0.9`) and sorts walk this index within one experiment.
  (t) => [primaryKey({ columns: [t.runId, t.key] }), index("latest_metrics_experiment_key_value_idx").on(t.experimentId, t.key, t.value)],
);

/** A dataset as MLflow identifies it: by name and content digest, within an experiment. */
export const datasets = pgTable(
  "datasets",
  {
    datasetUuid: text("dataset_uuid").primaryKey(),
    experimentId: bigint("experiment_id", { mode: "number" })
      .notNull()
      .references(() => experiments.experimentId, { onDelete: "cascade" }),
    name: text("name").notNull(),
    digest: text("digest").notNull(),
    sourceType: text("source_type").notNull(),
    source: text("source").notNull(),
    schema: text("schema"),
    profile: text("profile"),
  },
  (t) => [unique("datasets_experiment_name_digest_key").on(t.experimentId, t.name, t.digest)],
);

export type InputTag = { key: string; value: string };

export const runInputs = pgTable(
  "run_inputs",
  {
    runId: text("run_id")
      .notNull()
      .references(() => runs.runId, onRun),
    datasetUuid: text("dataset_uuid")
      .notNull()
      .references(() => datasets.datasetUuid, { onDelete: "cascade" }),
    /** Input tags such as `mlflow.data.context` = `training`, as logged with the input. */
    tags: jsonb("tags")
      .$type<InputTag[]>()
      .notNull()
      .default(sql`'[]'::jsonb`),
  },
  (t) => [primaryKey({ columns: [t.runId, t.datasetUuid] }), index("run_inputs_dataset_idx").on(t.datasetUuid)],
);
