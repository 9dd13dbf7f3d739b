import { bigint, doublePrecision, index, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { experiments } from "./experiments";
import { runs } from "./runs";

/**
 * MLflow 3 logged models: a model logged by a run (or on its own) with its artifacts under
 * `<experiment artifact location>/models/<model_id>/artifacts`, params, tags and the metrics
 * runs linked to it. Times are epoch milliseconds; status is the LoggedModelStatus name.
 */
export const loggedModels = pgTable(
  "logged_models",
  {
    modelId: text("model_id").primaryKey(),
    experimentId: bigint("experiment_id", { mode: "number" })
      .notNull()
      .references(() => experiments.experimentId),
    name: text("name").notNull(),
    artifactLocation: text("artifact_location").notNull(),
    creationTime: bigint("creation_time", { mode: "number" }).notNull(),
    lastUpdatedTime: bigint("last_updated_time", { mode: "number" }).notNull(),
    modelType: text("model_type"),
    sourceRunId: text("source_run_id"),
    status: text("status").notNull().default("LOGGED_MODEL_PENDING"),
    statusMessage: text("status_message"),
    lifecycleStage: text("lifecycle_stage").notNull().default("active"),
  },
  // Search's default order within the experiments asked for: newest first.
  (t) => [
    index("logged_models_experiment_created_idx").on(t.experimentId, t.creationTime.desc()),
    index("logged_models_source_run_idx").on(t.sourceRunId),
  ],
);

const onModel = { onDelete: "cascade" } as const;

export const loggedModelTags = pgTable(
  "logged_model_tags",
  {
    modelId: text("model_id")
      .notNull()
      .references(() => loggedModels.modelId, onModel),
    key: text("key").notNull(),
    value: text("value").notNull(),
  },
  (t) => [primaryKey({ columns: [t.modelId, t.key] })],
);

/** Immutable once logged, like run params. */
export const loggedModelParams = pgTable(
  "logged_model_params",
  {
    modelId: text("model_id")
      .notNull()
      .references(() => loggedModels.modelId, onModel),
    key: text("key").notNull(),
    value: text("value").notNull(),
  },
  (t) => [primaryKey({ columns: [t.modelId, t.key] })],
);

/**
 * Metrics linked to a model (a run's log-batch/log-metric with `model_id`): the latest point per
 * key, dataset and run, by (step, timestamp, value) as for runs. The run keeps every point in
 * ClickHouse's metric_history. Empty strings stand for "no dataset".
 */
export const loggedModelMetrics = pgTable(
  "logged_model_metrics",
  {
    modelId: text("model_id")
      .notNull()
      .references(() => loggedModels.modelId, onModel),
    key: text("key").notNull(),
    datasetName: text("dataset_name").notNull().default(""),
    datasetDigest: text("dataset_digest").notNull().default(""),
    runId: text("run_id").notNull().default(""),
    value: doublePrecision("value").notNull(),
    timestamp: bigint("timestamp", { mode: "number" }).notNull(),
    step: bigint("step", { mode: "number" }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.modelId, t.key, t.datasetName, t.datasetDigest, t.runId] }),
    index("logged_model_metrics_key_value_idx").on(t.key, t.value),
  ],
);

/** runs/outputs: models a run produced, at a step. */
export const runModelOutputs = pgTable(
  "run_model_outputs",
  {
    runId: text("run_id")
      .notNull()
      .references(() => runs.runId, { onDelete: "cascade" }),
    modelId: text("model_id")
      .notNull()
      .references(() => loggedModels.modelId, onModel),
    step: bigint("step", { mode: "number" }).notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.runId, t.modelId] }), index("run_model_outputs_model_idx").on(t.modelId)],
);

/** runs/log-inputs `models`: models a run used (evaluated, fine-tuned…). */
export const runModelInputs = pgTable(
  "run_model_inputs",
  {
    runId: text("run_id")
      .notNull()
      .references(() => runs.runId, { onDelete: "cascade" }),
    modelId: text("model_id")
      .notNull()
      .references(() => loggedModels.modelId, onModel),
  },
  (t) => [primaryKey({ columns: [t.runId, t.modelId] }), index("run_model_inputs_model_idx").on(t.modelId)],
);
