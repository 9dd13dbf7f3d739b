import "server-only";
import type { Db } from "@/db/client.server";
import { AppError } from "@/lib/http/errors";
import { appendAudit, countFailedSignIns } from "./audit.server";
import { ANONYMOUS } from "./caller";
import { AuthError } from "./errors";
import { decoyHash, verifyPassword } from "./secrets.server";
import { createSession } from "./sessions.server";
import { normaliseEmail, userByEmail, type UserRow } from "./users.server";

/** Failed sign-ins allowed per account, and per address, in the window before a 429. */
export const SIGN_IN_LIMITS = { perAccount: 10, perAddress: 50, windowMs: 15 * 60_000 };

/**
 * Email and password to a new session. Every attempt is in the audit log; the rate limit reads the
 * failures there (Postgres, so it holds across app instances). The answer never says whether the
 * account exists.
 */
export async function signIn(
  db: Db,
  input: { email: string; password: string },
  meta: { requestId: string; address: string; userAgent: string },
): Promise<{ user: UserRow; token: string; expiresAt: number }> {
  const email = normaliseEmail(input.email);
  const since = Date.now() - SIGN_IN_LIMITS.windowMs;
  const [forAccount, forAddress] = await Promise.all([
    countFailedSignIns(db, { email }, since),
    meta.address ? countFailedSignIns(db, { address: meta.address }, since) : Promise.resolve(0),
  ]);
  if (forAccount >= SIGN_IN_LIMITS.perAccount || forAddress >= SIGN_IN_LIMITS.perAddress) {
    throw new AppError("rate_limited", "Too many failed sign-ins; wait 15 minutes and try again, or ask an admin to reset the password");
  }
  const user = await userByEmail(db, email);
  const ok = user?.passwordHash
    ? await verifyPassword(user.passwordHash, input.password)
    : await verifyPassword(await decoyHash(), input.password);
  if (!user || !ok || user.disabledAt !== null || !user.passwordHash) {
    await appendAudit(db, ANONYMOUS, meta, { action: "auth.sign_in_failed", target: { kind: "user", id: email } });
    throw new AuthError("unauthenticated", "Wrong email or password");
  }
  const session = await createSession(db, user.id, meta);
  const actor = { ...ANONYMOUS, kind: "user" as const, name: user.email, userId: user.id };
  await appendAudit(db, actor, meta, { action: "auth.sign_in", target: { kind: "user", id: user.email } });
  return { user, ...session };
}
