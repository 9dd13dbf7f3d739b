import { bigint, boolean, jsonb, pgTable, text } from "drizzle-orm/pg-core";

/**
 * Deletions on request (issue 18): each request, dry run or not, with its selector and the rows
 * counted (or removed) per store and table. The record an auditor reads until the audit log of
 * issue 9 lands (lib/retention/README.md). Times are epoch ms.
 */
export const dataDeletions = pgTable("data_deletions", {
  id: text("id").primaryKey(),
  selector: jsonb("selector").$type<Record<string, unknown>>().notNull(),
  dryRun: boolean("dry_run").notNull(),
  actor: text("actor").notNull().default(""),
  counts: jsonb("counts").$type<Record<string, number>>().notNull(),
  createdAt: bigint("created_at", { mode: "number" }).notNull(),
});
