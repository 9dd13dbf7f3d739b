import { bigint, index, pgTable, primaryKey, text } from "drizzle-orm/pg-core";

/**
 * MLflow experiments. Ids are integers handed out by an identity column and spoken as strings on
 * the wire; experiment 0 ("Default") is created by a migration, as MLflow clients expect it.
 * Deletion is soft (`lifecycle_stage`), so names stay reserved until an experiment is purged.
 */
export const experiments = pgTable(
  "experiments",
  {
    experimentId: bigint("experiment_id", { mode: "number" }).primaryKey().generatedByDefaultAsIdentity({ startWith: 1 }),
    name: text("name").notNull().unique(),
    artifactLocation: text("artifact_location"),
    lifecycleStage: text("lifecycle_stage").notNull().default("active"),
    creationTime: bigint("creation_time", { mode: "number" }).notNull(),
    lastUpdateTime: bigint("last_update_time", { mode: "number" }).notNull(),
  },
  (t) => [index("experiments_stage_creation_idx").on(t.lifecycleStage, t.creationTime)],
);

export const experimentTags = pgTable(
  "experiment_tags",
  {
    experimentId: bigint("experiment_id", { mode: "number" })
      .notNull()
      .references(() => experiments.experimentId, { onDelete: "cascade" }),
    key: text("key").notNull(),
    value: text("value").notNull(),
  },
  (t) => [primaryKey({ columns: [t.experimentId, t.key] })],
);
