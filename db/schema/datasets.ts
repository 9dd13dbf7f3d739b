import { sql } from "drizzle-orm";
import { bigint, integer, jsonb, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { labelQueues } from "./labelling";

/**
 * Datasets (issue 15, moved out of labelling): a named dataset has immutable, content-addressed
 * versions; a version's items hold the input (template variables and/or messages), an optional
 * expected output, optional reference context (RAG checks), per-item assertions and tags.
 * Invariants: lib/datasets/README.md. Times are epoch milliseconds.
 */

/** Where a version's items came from, kept to show and to repeat. */
export type StoredDatasetSource =
  | { kind: "queue"; queueId: string }
  | { kind: "upload"; format: "jsonl" | "csv"; fileName?: string }
  | { kind: "inferences"; expected: "output" | "demonstration" }
  | { kind: "promptfoo" }
  | { kind: "api" };

/** A per-item assertion, in promptfoo's shape (`type`, `value`, `threshold`, `weight`, `metric`). */
export type StoredAssertion = { type: string; value?: unknown; threshold?: number; weight?: number; metric?: string };

export const namedDatasets = pgTable("named_datasets", {
  id: text("id").primaryKey(),
  name: text("name").notNull().unique(),
  createdAt: bigint("created_at", { mode: "number" }).notNull(),
});

export const datasetVersions = pgTable(
  "dataset_versions",
  {
    id: text("id").primaryKey(),
    datasetId: text("dataset_id")
      .notNull()
      .references(() => namedDatasets.id, { onDelete: "cascade" }),
    version: integer("version").notNull(),
    /** sha256 (hex, first 16 characters as MLflow digests are short) of the canonical items. */
    digest: text("digest").notNull(),
    queueId: text("queue_id").references(() => labelQueues.id, { onDelete: "set null" }),
    source: jsonb("source")
      .$type<StoredDatasetSource>()
      .notNull()
      .default(sql`'{"kind":"queue"}'::jsonb`),
    itemCount: integer("item_count").notNull(),
    /** The MLflow dataset registered for this version (experiment 0), for runs/log-inputs. */
    mlflowDatasetUuid: text("mlflow_dataset_uuid").notNull(),
    createdAt: bigint("created_at", { mode: "number" }).notNull(),
  },
  (t) => [
    uniqueIndex("dataset_versions_dataset_version_key").on(t.datasetId, t.version),
    uniqueIndex("dataset_versions_dataset_digest_key").on(t.datasetId, t.digest),
  ],
);

export const datasetItems = pgTable(
  "dataset_items",
  {
    versionId: text("version_id")
      .notNull()
      .references(() => datasetVersions.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    /** The inference the item was taken from, if any. */
    inferenceId: text("inference_id"),
    /** JSON `{ "variables"?: {...}, "messages"?: [...] }` (a gateway input). */
    input: text("input").notNull(),
    expectedOutput: text("expected_output"),
    /** Reference context for RAG checks (groundedness, context relevance). */
    context: text("context"),
    assertions: jsonb("assertions")
      .$type<StoredAssertion[]>()
      .notNull()
      .default(sql`'[]'::jsonb`),
    tags: jsonb("tags")
      .$type<Record<string, string>>()
      .notNull()
      .default(sql`'{}'::jsonb`),
    /** The labels behind the item when it came from a labelling queue: `{ field: [values…] }`. */
    labels: jsonb("labels")
      .$type<Record<string, (boolean | number | string)[]>>()
      .notNull()
      .default(sql`'{}'::jsonb`),
  },
  (t) => [uniqueIndex("dataset_items_version_position_key").on(t.versionId, t.position)],
);
