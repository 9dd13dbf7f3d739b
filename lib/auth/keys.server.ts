import "server-only";
import { randomUUID } from "node:crypto";
import { desc, eq } from "drizzle-orm";
import type { Db } from "@/db/client.server";
import { apiKeys, users } from "@/db/schema";
import { BadRequestError, NotFoundError } from "@/lib/http/errors";
import { lowerRole, ROLES, type Role, type Scope } from "./roles";
import { LiveCache } from "./live-cache";
import { digest, KEY_PREFIX, newApiKeySecret } from "./secrets.server";

export type KeyRow = typeof apiKeys.$inferSelect;

/** How many characters of a secret lists show (`llmops_AbCd`): enough to tell keys apart, useless to an attacker. */
const SHOWN = KEY_PREFIX.length + 4;

export function publicKey(row: KeyRow, owner?: { id: string; email: string } | null) {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    user: owner ?? null,
    role: row.role as Role | null,
    scope: row.scope as Scope | null,
    created_by: row.createdBy,
    created_at: new Date(row.createdAt).toISOString(),
    expires_at: row.expiresAt === null ? null : new Date(row.expiresAt).toISOString(),
    last_used_at: row.lastUsedAt === null ? null : new Date(row.lastUsedAt).toISOString(),
    revoked_at: row.revokedAt === null ? null : new Date(row.revokedAt).toISOString(),
  };
}
export type PublicKey = ReturnType<typeof publicKey>;

export async function createKey(
  db: Db,
  input: {
    name: string;
    userId: string | null;
    role: Role | null;
    scope: Scope | null;
    createdBy: string;
    expiresAt?: number | null;
    secret?: string;
  },
): Promise<{ row: KeyRow; secret: string }> {
  if ((input.role === null) === (input.scope === null))
    throw new BadRequestError("A key has either a role or a scope, not both and not neither");
  if (input.expiresAt != null && input.expiresAt <= Date.now()) throw new BadRequestError("expires_at must be in the future");
  const secret = input.secret ?? newApiKeySecret();
  const [row] = await db
    .insert(apiKeys)
    .values({
      id: randomUUID(),
      name: input.name.trim(),
      prefix: secret.slice(0, SHOWN),
      secretHash: digest(secret),
      userId: input.userId,
      role: input.role,
      scope: input.scope,
      createdBy: input.createdBy,
      createdAt: Date.now(),
      expiresAt: input.expiresAt ?? null,
    })
    .returning();
  return { row: row!, secret };
}

export async function listKeys(db: Db, userId?: string) {
  const rows = await db
    .select({ key: apiKeys, owner: { id: users.id, email: users.email } })
    .from(apiKeys)
    .leftJoin(users, eq(users.id, apiKeys.userId))
    .where(userId ? eq(apiKeys.userId, userId) : undefined)
    .orderBy(desc(apiKeys.createdAt));
  return rows.map((r) => publicKey(r.key, r.owner));
}

export async function keyById(db: Db, id: string): Promise<KeyRow> {
  const [row] = await db.select().from(apiKeys).where(eq(apiKeys.id, id));
  if (!row) throw new NotFoundError(`No API key with id ${id}`);
  return row;
}

export async function revokeKey(db: Db, id: string): Promise<{ before: KeyRow; after: KeyRow }> {
  const before = await keyById(db, id);
  if (before.revokedAt !== null) return { before, after: before };
  const [after] = await db.update(apiKeys).set({ revokedAt: Date.now() }).where(eq(apiKeys.id, id)).returning();
  forgetKey(before.secretHash);
  return { before, after: after! };
}

/** A key's identity as authenticate() needs it. */
export interface KeyIdentity {
  keyId: string;
  name: string;
  prefix: string;
  userId: string | null;
  email: string | null;
  role: Role | null;
  scope: Scope | null;
  expiresAt: number | null;
}

/**
 * Key lookups are cached per process (LiveCache, LIVE_MS), so the gateway's hot path costs a
 * SHA-256 and a Map lookup (bench:auth). A revoked key therefore stops working on the instance that
 * revoked it at once and on every other instance within LIVE_MS.
 */
const LAST_USED_EVERY_MS = 60_000;
const cache = new LiveCache<KeyIdentity>();

export function forgetKey(secretHash: string): void {
  cache.forget(secretHash);
}

/** Test hook: forget every cached key (a test that changes keys behind the API's back). */
export function clearKeyCache(): void {
  cache.forget();
}

export async function keyIdentity(db: Db, secret: string): Promise<KeyIdentity | undefined> {
  const hash = digest(secret);
  const now = Date.now();
  const hit = cache.get(hash, now);
  if (hit) return hit.expiresAt !== null && hit.expiresAt <= now ? undefined : hit;
  const [row] = await db
    .select({ key: apiKeys, owner: { email: users.email, role: users.role, disabledAt: users.disabledAt } })
    .from(apiKeys)
    .leftJoin(users, eq(users.id, apiKeys.userId))
    .where(eq(apiKeys.secretHash, hash));
  if (!row || row.key.revokedAt !== null || (row.key.expiresAt !== null && row.key.expiresAt <= now)) return undefined;
  if (row.key.userId !== null && (!row.owner || row.owner.disabledAt !== null)) return undefined;
  const ownerRole = row.owner?.role as Role | undefined;
  const keyRole = row.key.role as Role | null;
  const identity: KeyIdentity = {
    keyId: row.key.id,
    name: row.key.name,
    prefix: row.key.prefix,
    userId: row.key.userId,
    email: row.owner?.email ?? null,
    role: keyRole && ownerRole && ROLES.includes(ownerRole) ? lowerRole(keyRole, ownerRole) : keyRole,
    scope: row.key.scope as Scope | null,
    expiresAt: row.key.expiresAt,
  };
  cache.set(hash, identity, now);
  if (row.key.lastUsedAt === null || row.key.lastUsedAt < now - LAST_USED_EVERY_MS) {
    // Best effort, off the request's path: a failed write only leaves last_used_at older.
    void db
      .update(apiKeys)
      .set({ lastUsedAt: now })
      .where(eq(apiKeys.id, row.key.id))
      .catch(() => undefined);
  }
  return identity;
}
