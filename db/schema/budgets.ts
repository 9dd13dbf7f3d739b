import { bigint, doublePrecision, index, pgTable, primaryKey, text } from "drizzle-orm/pg-core";

/**
 * Budget counters (issue 18, lib/budgets): one row per limit, counted value (key, function, model
 * or tag value), period (`minute`, `day`, `month`) and fixed window. Every gateway instance adds to
 * the same row with one `INSERT … ON CONFLICT DO UPDATE … RETURNING` (a lease of requests, charges). Times are epoch ms.
 */
export const budgetCounters = pgTable(
  "budget_counters",
  {
    limitName: text("limit_name").notNull(),
    subject: text("subject").notNull(),
    period: text("period").notNull(),
    windowStart: bigint("window_start", { mode: "number" }).notNull(),
    /** Rows past this are deleted now and then (lib/budgets/postgres.server.ts). */
    expiresAt: bigint("expires_at", { mode: "number" }).notNull(),
    requests: bigint("requests", { mode: "number" }).notNull().default(0),
    tokens: bigint("tokens", { mode: "number" }).notNull().default(0),
    /** US dollars. */
    cost: doublePrecision("cost").notNull().default(0),
    /** Requests the row's last statement granted (a lease may be granted in part near the cap). */
    lastGrant: bigint("last_grant", { mode: "number" }).notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.limitName, t.subject, t.period, t.windowStart] }), index("budget_counters_expires_idx").on(t.expiresAt)],
);
