import { jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/**
 * Instance-wide facts that must outlive a restart and agree across app servers
 * (for example when demo data was seeded). Keyed by a stable name.
 */
export const appMeta = pgTable("app_meta", {
  key: text("key").primaryKey(),
  value: jsonb("value").$type<unknown>().notNull(),
  updatedAt: timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
});
