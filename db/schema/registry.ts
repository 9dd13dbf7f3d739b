import { sql } from "drizzle-orm";
import { bigint, foreignKey, index, integer, pgTable, primaryKey, text } from "drizzle-orm/pg-core";

/**
 * The model registry, shaped as MLflow's: registered models with numbered versions, tags and
 * aliases. Prompts live here too, as MLflow stores them: a registered model tagged
 * `mlflow.prompt.is_prompt=true` whose versions carry the template in `mlflow.prompt.text`.
 * Times are epoch milliseconds, as MLflow's API speaks them.
 */
export const registeredModels = pgTable("registered_models", {
  name: text("name").primaryKey(),
  description: text("description"),
  creationTime: bigint("creation_time", { mode: "number" }).notNull(),
  lastUpdatedTime: bigint("last_updated_time", { mode: "number" }).notNull(),
  /**
   * The highest version number ever handed out. Incremented with `UPDATE … RETURNING`, whose row
   * lock serialises concurrent creators, so versions are distinct, consecutive and never reused.
   */
  lastVersion: integer("last_version").notNull().default(0),
});

const onModel = { onUpdate: "cascade", onDelete: "cascade" } as const;

export const registeredModelTags = pgTable(
  "registered_model_tags",
  {
    name: text("name")
      .notNull()
      .references(() => registeredModels.name, onModel),
    key: text("key").notNull(),
    value: text("value").notNull(),
  },
  (t) => [primaryKey({ columns: [t.name, t.key] }), index("registered_model_tags_key_value_idx").on(t.key, t.value)],
);

export const modelVersions = pgTable(
  "model_versions",
  {
    name: text("name")
      .notNull()
      .references(() => registeredModels.name, onModel),
    version: integer("version").notNull(),
    description: text("description"),
    userId: text("user_id"),
    /** MLflow's deprecated stages (None, Staging, Production, Archived), kept for compatibility. */
    currentStage: text("current_stage").notNull().default("None"),
    source: text("source"),
    runId: text("run_id"),
    runLink: text("run_link"),
    /** The MLflow 3 logged model the version was registered from (`models:/m-…` sources). */
    modelId: text("model_id"),
    status: text("status").notNull().default("READY"),
    statusMessage: text("status_message"),
    creationTime: bigint("creation_time", { mode: "number" }).notNull(),
    lastUpdatedTime: bigint("last_updated_time", { mode: "number" }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.name, t.version] }),
    index("model_versions_run_id_idx")
      .on(t.runId)
      .where(sql`${t.runId} is not null`),
  ],
);

export const modelVersionTags = pgTable(
  "model_version_tags",
  {
    name: text("name").notNull(),
    version: integer("version").notNull(),
    key: text("key").notNull(),
    value: text("value").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.name, t.version, t.key] }),
    foreignKey({ columns: [t.name, t.version], foreignColumns: [modelVersions.name, modelVersions.version] })
      .onUpdate("cascade")
      .onDelete("cascade"),
  ],
);

/** `production`, `staging`, …: a movable name for one version of a registered model. */
export const registeredModelAliases = pgTable(
  "registered_model_aliases",
  {
    name: text("name")
      .notNull()
      .references(() => registeredModels.name, onModel),
    alias: text("alias").notNull(),
    version: integer("version").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.name, t.alias] }),
    // Deleting a version drops the aliases that point at it, as MLflow does.
    foreignKey({ columns: [t.name, t.version], foreignColumns: [modelVersions.name, modelVersions.version] })
      .onUpdate("cascade")
      .onDelete("cascade"),
  ],
);
