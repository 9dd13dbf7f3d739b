import { z } from "zod";

/**
 * The dashboard's view of the accounts API (app/api/auth, app/api/keys, app/api/admin): the
 * replies it reads, parsed with zod like every other fetcher. Client-safe: no server imports.
 */

export const ROLES = ["admin", "editor", "reviewer", "viewer"] as const;
export const role = z.enum(ROLES);
export type Role = z.infer<typeof role>;

export const SCOPES = ["inference", "tracking"] as const;
export const scope = z.enum(SCOPES);
export type Scope = z.infer<typeof scope>;

export const PERMISSIONS = ["read", "label", "edit", "admin", "inference", "tracking"] as const;
export const permission = z.enum(PERMISSIONS);
export type Permission = z.infer<typeof permission>;

/** What each role may do, in words, for the role pickers. */
export const ROLE_HINTS: Record<Role, string> = {
  viewer: "reads everything, changes nothing",
  reviewer: "reads and labels",
  editor: "reads, labels and edits: experiments, runs, registry, aliases, prompts, queues, datasets, playground",
  admin: "everything, including users, API keys and the audit log",
};

export const SCOPE_HINTS: Record<Scope, string> = {
  inference: "gateway calls and feedback only",
  tracking: "MLflow tracking writes only",
};

export const accountUser = z.object({ id: z.string(), email: z.string(), name: z.string(), role });
export type AccountUser = z.infer<typeof accountUser>;

export const caller = z.object({
  kind: z.enum(["anonymous", "user", "key", "internal", "open"]),
  name: z.string(),
  role: role.nullable(),
  scope: scope.nullable(),
  permissions: z.array(permission),
});
export type Caller = z.infer<typeof caller>;

export const meReply = z.object({ auth_enabled: z.boolean(), caller, user: accountUser.nullable() });
export type Me = z.infer<typeof meReply>;

export const signInReply = z.object({ user: accountUser });
export const okReply = z.object({ ok: z.literal(true) });

export const adminUser = accountUser.extend({ created_at: z.string(), disabled_at: z.string().nullable() });
export type AdminUser = z.infer<typeof adminUser>;
export const usersReply = z.object({ users: z.array(adminUser) });
export const userReply = z.object({ user: adminUser });

export const apiKey = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  user: z.object({ id: z.string(), email: z.string() }).nullable(),
  role: role.nullable(),
  scope: scope.nullable(),
  created_at: z.string(),
  expires_at: z.string().nullable(),
  last_used_at: z.string().nullable(),
  revoked_at: z.string().nullable(),
});
export type ApiKey = z.infer<typeof apiKey>;
export const keysReply = z.object({ keys: z.array(apiKey) });
export const keyReply = z.object({ key: apiKey });
export const createdKeyReply = z.object({ key: apiKey, secret: z.string() });
export type CreatedKey = z.infer<typeof createdKeyReply>;

export const auditEntry = z.object({
  id: z.union([z.number(), z.string()]),
  at: z.string(),
  actor: z.string(),
  actor_kind: z.string(),
  action: z.string(),
  target_kind: z.string().nullable(),
  target_id: z.string().nullable(),
  request_id: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
  // The contract names the client address `ip`; the first server draft calls it `address`: either is read.
  ip: z.string().nullable().optional(),
  address: z.string().nullable().optional(),
});
export type AuditEntry = z.infer<typeof auditEntry>;
export const auditReply = z.object({ entries: z.array(auditEntry), next_before: z.number().nullable() });
export type AuditPage = z.infer<typeof auditReply>;

/** The audit page's filters, kept in the URL. */
export const auditFilters = z.object({
  actor: z.string().optional(),
  action: z.string().optional(),
  target_kind: z.string().optional(),
  target_id: z.string().optional(),
  from: z.string().optional(),
  to: z.string().optional(),
  before: z.coerce.number().int().positive().optional(),
});
export type AuditFilters = z.infer<typeof auditFilters>;
