import { bigint, index, jsonb, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";

/**
 * Accounts, sessions, API keys and the audit log (issue 14; lib/auth/README.md). Secrets are never
 * stored: passwords as argon2id hashes, session tokens and API keys as SHA-256 digests (both are
 * 256-bit random values, so a fast digest is the right hash for them). Times are epoch ms.
 */
export const users = pgTable(
  "users",
  {
    id: text("id").primaryKey(),
    /** Lower-cased; unique among all accounts, disabled ones included. */
    email: text("email").notNull(),
    name: text("name").notNull().default(""),
    /** admin | editor | reviewer | viewer */
    role: text("role").notNull(),
    /** argon2id; null for accounts that sign in only through single sign-on. */
    passwordHash: text("password_hash"),
    /** `issuer|subject` of the OIDC identity the account is bound to, if any. */
    oidcSubject: text("oidc_subject"),
    createdAt: bigint("created_at", { mode: "number" }).notNull(),
    disabledAt: bigint("disabled_at", { mode: "number" }),
  },
  (t) => [uniqueIndex("users_email_idx").on(t.email), uniqueIndex("users_oidc_subject_idx").on(t.oidcSubject)],
);

export const sessions = pgTable(
  "sessions",
  {
    /** SHA-256 (hex) of the cookie's token. */
    tokenHash: text("token_hash").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: bigint("created_at", { mode: "number" }).notNull(),
    expiresAt: bigint("expires_at", { mode: "number" }).notNull(),
    address: text("address").notNull().default(""),
    userAgent: text("user_agent").notNull().default(""),
  },
  (t) => [index("sessions_user_idx").on(t.userId), index("sessions_expires_idx").on(t.expiresAt)],
);

export const apiKeys = pgTable(
  "api_keys",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    /** The first characters of the secret (`llmops_AbCd…`), to tell keys apart in lists. */
    prefix: text("prefix").notNull(),
    /** SHA-256 (hex) of the whole secret. */
    secretHash: text("secret_hash").notNull(),
    /** The owner; null for a service key. */
    userId: text("user_id").references(() => users.id, { onDelete: "cascade" }),
    /** A role (admin | editor | reviewer | viewer) or a service scope (inference | tracking); exactly one is set. */
    role: text("role"),
    scope: text("scope"),
    createdBy: text("created_by").notNull(),
    createdAt: bigint("created_at", { mode: "number" }).notNull(),
    expiresAt: bigint("expires_at", { mode: "number" }),
    lastUsedAt: bigint("last_used_at", { mode: "number" }),
    revokedAt: bigint("revoked_at", { mode: "number" }),
  },
  (t) => [uniqueIndex("api_keys_secret_hash_idx").on(t.secretHash), index("api_keys_user_idx").on(t.userId)],
);

/**
 * Every state change, appended. A trigger (migration 0012) refuses UPDATE and DELETE, so no code
 * path, ours or a future one, can rewrite history; only TRUNCATE by the database owner can.
 */
export const auditLog = pgTable(
  "audit_log",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    at: bigint("at", { mode: "number" }).notNull(),
    /** Who: `user:<email>`, `key:<name> (<prefix>)`, `internal:<name>`, `anonymous`. */
    actor: text("actor").notNull(),
    actorKind: text("actor_kind").notNull(),
    actorId: text("actor_id"),
    /** What: `<domain>.<verb>`, e.g. `registry.alias_set`, `auth.sign_in_failed`. */
    action: text("action").notNull(),
    targetKind: text("target_kind").notNull().default(""),
    targetId: text("target_id").notNull().default(""),
    requestId: text("request_id").notNull().default(""),
    address: text("address").notNull().default(""),
    before: jsonb("before").$type<unknown>(),
    after: jsonb("after").$type<unknown>(),
  },
  (t) => [
    index("audit_log_at_idx").on(t.at),
    index("audit_log_action_at_idx").on(t.action, t.at),
    index("audit_log_target_idx").on(t.targetKind, t.targetId),
    index("audit_log_actor_idx").on(t.actor, t.at),
  ],
);
