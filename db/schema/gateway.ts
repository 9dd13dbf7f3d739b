import { bigint, index, integer, pgTable, text } from "drizzle-orm/pg-core";

/**
 * The gateway recorder's dead letters (issue 13): log rows ClickHouse refused on their own (a
 * batch is bisected until the refused rows are isolated; the rest is written). Kept in Postgres so
 * every app instance shows and retries the same list. `row` is the row's JSON text as the recorder
 * sent it: JSON escapes NUL and lone surrogates, so any row can be kept here. Times are epoch ms.
 */
export const gatewayDeadLetters = pgTable(
  "gateway_dead_letters",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    /** The ClickHouse table the row is for: inferences, model_calls or inference_cache. */
    tableName: text("table_name").notNull(),
    row: text("row").notNull(),
    /** ClickHouse's message for the row (clipped), and its error name (e.g. CANNOT_PARSE_NUMBER). */
    error: text("error").notNull(),
    errorCode: text("error_code").notNull().default(""),
    /** Writes tried so far: 1 when the recorder set it aside, plus one per retry. */
    attempts: integer("attempts").notNull().default(1),
    /** The app instance that set it aside (lib/lifecycle.server.ts). */
    instanceId: text("instance_id").notNull().default(""),
    firstFailedAt: bigint("first_failed_at", { mode: "number" }).notNull(),
    lastFailedAt: bigint("last_failed_at", { mode: "number" }).notNull(),
  },
  (t) => [index("gateway_dead_letters_last_failed_idx").on(t.lastFailedAt)],
);
