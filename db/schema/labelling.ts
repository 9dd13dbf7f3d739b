import { sql } from "drizzle-orm";
import { bigint, boolean, index, integer, jsonb, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";

/**
 * Labelling queues (issue 7). A queue holds a fixed set of inferences (its items, with a snapshot
 * of what reviewers see; ClickHouse stays the source of truth), a label schema and an overlap k.
 * Reviewers claim items one at a time; a claim is the unit of work and ends done, skipped or
 * expired. `items.open_claims` counts claims that are active or done, so an item is handed out
 * while open_claims < k and is finished when done_count = k. Times are epoch milliseconds.
 * Invariants and the claim protocol: lib/labelling/README.md.
 */

/** The label schema and creation filter, as stored; validated by lib/labelling/schemas.ts. */
export type StoredLabelField = {
  key: string;
  label: string;
  type: "boolean" | "score" | "category" | "comment" | "correction";
  metric: string;
  options?: string[];
  required: boolean;
};

export const labelQueues = pgTable("label_queues", {
  id: text("id").primaryKey(),
  name: text("name").notNull().unique(),
  description: text("description").notNull().default(""),
  /** How the items were chosen (filter and sampling), kept to show and to repeat. */
  source: jsonb("source").$type<Record<string, unknown>>().notNull(),
  fields: jsonb("fields").$type<StoredLabelField[]>().notNull(),
  /** Labels wanted per item from distinct reviewers (1 = no overlap). */
  overlap: integer("overlap").notNull().default(1),
  /** Reviewers allowed to label; empty means open to anyone. */
  reviewers: jsonb("reviewers")
    .$type<string[]>()
    .notNull()
    .default(sql`'[]'::jsonb`),
  claimTimeoutSeconds: integer("claim_timeout_seconds").notNull().default(600),
  /** Hide function variant (and model) from reviewers, so labels are unbiased. */
  blind: boolean("blind").notNull().default(true),
  itemCount: integer("item_count").notNull(),
  createdAt: bigint("created_at", { mode: "number" }).notNull(),
});

export const labelItems = pgTable(
  "label_items",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    queueId: text("queue_id")
      .notNull()
      .references(() => labelQueues.id, { onDelete: "cascade" }),
    /** Hand-out order within the queue (0-based). */
    position: integer("position").notNull(),
    inferenceId: text("inference_id").notNull(),
    episodeId: text("episode_id").notNull(),
    functionName: text("function_name").notNull(),
    variantName: text("variant_name").notNull(),
    modelName: text("model_name").notNull().default(""),
    /** Snapshot of the inference's input and output JSON (bounded), for display. */
    input: text("input").notNull(),
    output: text("output").notNull(),
    inferenceTime: text("inference_time").notNull(),
    /** Claims that are active or done; the item is handed out while this is below the overlap. */
    openClaims: integer("open_claims").notNull().default(0),
    doneCount: integer("done_count").notNull().default(0),
  },
  (t) => [
    uniqueIndex("label_items_queue_inference_key").on(t.queueId, t.inferenceId),
    index("label_items_queue_open_idx").on(t.queueId, t.openClaims, t.position),
  ],
);

export const CLAIM_STATUSES = ["active", "done", "skipped", "expired"] as const;
export type ClaimStatus = (typeof CLAIM_STATUSES)[number];

export const labelClaims = pgTable(
  "label_claims",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    queueId: text("queue_id")
      .notNull()
      .references(() => labelQueues.id, { onDelete: "cascade" }),
    itemId: bigint("item_id", { mode: "number" })
      .notNull()
      .references(() => labelItems.id, { onDelete: "cascade" }),
    reviewer: text("reviewer").notNull(),
    status: text("status").$type<ClaimStatus>().notNull().default("active"),
    claimedAt: bigint("claimed_at", { mode: "number" }).notNull(),
    expiresAt: bigint("expires_at", { mode: "number" }).notNull(),
    completedAt: bigint("completed_at", { mode: "number" }),
  },
  (t) => [
    // A reviewer holds at most one live (active or done) claim per item: never the same item twice.
    uniqueIndex("label_claims_item_reviewer_live_key")
      .on(t.itemId, t.reviewer)
      .where(sql`status in ('active', 'done')`),
    // "Has this reviewer seen the item?" when claiming (skipped claims count too).
    index("label_claims_item_reviewer_idx").on(t.itemId, t.reviewer),
    index("label_claims_queue_status_idx").on(t.queueId, t.status, t.expiresAt),
    index("label_claims_queue_reviewer_idx").on(t.queueId, t.reviewer, t.completedAt),
  ],
);

/** One value per (claim, field); the same value is also a feedback row in ClickHouse (`feedbackId`). */
export const labels = pgTable(
  "labels",
  {
    id: text("id").primaryKey(),
    queueId: text("queue_id")
      .notNull()
      .references(() => labelQueues.id, { onDelete: "cascade" }),
    itemId: bigint("item_id", { mode: "number" })
      .notNull()
      .references(() => labelItems.id, { onDelete: "cascade" }),
    claimId: bigint("claim_id", { mode: "number" })
      .notNull()
      .references(() => labelClaims.id, { onDelete: "cascade" }),
    reviewer: text("reviewer").notNull(),
    field: text("field").notNull(),
    /** boolean, number (score) or string (category, comment, corrected answer). */
    value: jsonb("value").$type<boolean | number | string>().notNull(),
    createdAt: bigint("created_at", { mode: "number" }).notNull(),
  },
  (t) => [uniqueIndex("labels_claim_field_key").on(t.claimId, t.field), index("labels_queue_field_idx").on(t.queueId, t.field)],
);
