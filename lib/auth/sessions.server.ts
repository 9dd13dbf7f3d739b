import "server-only";
import { and, eq, gt, isNull, lt, ne } from "drizzle-orm";
import type { Db } from "@/db/client.server";
import { sessions, users } from "@/db/schema";
import { LiveCache } from "./live-cache";
import { SESSION_COOKIE } from "./page-gate";
import { digest, randomToken } from "./secrets.server";
import type { UserRow } from "./users.server";

/**
 * Server-side sessions: the cookie holds a random token, Postgres its SHA-256, so every app
 * instance sees a sign-out at once and a stolen database holds no usable cookie.
 */
export { SESSION_COOKIE };
export const SESSION_DAYS = 14;

export async function createSession(
  db: Db,
  userId: string,
  meta: { address: string; userAgent: string },
): Promise<{ token: string; expiresAt: number }> {
  const token = randomToken();
  const now = Date.now();
  const expiresAt = now + SESSION_DAYS * 86_400_000;
  await db.insert(sessions).values({
    tokenHash: digest(token),
    userId,
    createdAt: now,
    expiresAt,
    address: meta.address.slice(0, 100),
    userAgent: meta.userAgent.slice(0, 300),
  });
  // Expired sessions are swept as new ones are made: no timer needed.
  await db.delete(sessions).where(lt(sessions.expiresAt, now));
  return { token, expiresAt };
}

/**
 * Live sessions are cached per process like API keys (LiveCache): a dashboard request then costs a
 * SHA-256 and a Map lookup instead of a Postgres join (bench:auth). Signing out, a password change,
 * a role change or disabling an account takes effect at once on the instance that did it, and
 * within LIVE_MS on the others.
 */
const cache = new LiveCache<UserRow>();

/** Forgets one session (sign-out), or every cached session (an account changed). */
export function forgetSessions(tokenHash?: string): void {
  cache.forget(tokenHash);
}

/** The account behind a session token, if the session is live and the account enabled. */
export async function sessionUser(db: Db, tokenHash: string): Promise<UserRow | undefined> {
  const hit = cache.get(tokenHash);
  if (hit) return hit;
  const user = await lookUp(db, tokenHash);
  if (user) cache.set(tokenHash, user);
  return user;
}

async function lookUp(db: Db, tokenHash: string): Promise<UserRow | undefined> {
  const [row] = await db
    .select({ user: users })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.tokenHash, tokenHash), gt(sessions.expiresAt, Date.now()), isNull(users.disabledAt)));
  return row?.user;
}

export async function deleteSession(db: Db, tokenHash: string): Promise<void> {
  forgetSessions(tokenHash);
  await db.delete(sessions).where(eq(sessions.tokenHash, tokenHash));
}

/** Signs the account out everywhere but, optionally, the session in hand (after a password change). */
export async function deleteSessionsOf(db: Db, userId: string, keep?: string): Promise<void> {
  forgetSessions();
  await db.delete(sessions).where(keep ? and(eq(sessions.userId, userId), ne(sessions.tokenHash, keep)) : eq(sessions.userId, userId));
}
