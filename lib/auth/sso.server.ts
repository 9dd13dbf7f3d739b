import "server-only";
import type { Db } from "@/db/client.server";
import { ConflictError } from "@/lib/http/errors";
import { appendAudit } from "./audit.server";
import { ANONYMOUS, type Caller } from "./caller";
import { AuthError } from "./errors";
import { roleForGroups } from "./oidc-roles";
import type { Role } from "./roles";
import type { OidcIdentity, OidcSettings } from "./oidc.server";
import { createSession } from "./sessions.server";
import { createUser, publicUser, updateUser, userByEmail, userBySubject, type UserRow } from "./users.server";

const DISABLED = "This account is disabled: ask an admin";

type Meta = { requestId: string; address: string; userAgent: string };

/**
 * A checked OIDC identity to an account and a session. The account is found by `issuer|sub`, or
 * linked by an email the provider verified; the first sign-in creates it. The role follows the
 * provider's groups on every sign-in (the mapping is the source of truth), except that the last
 * active admin is never demoted. A disabled account stays out, whatever the provider says.
 */
export async function signInWithOidc(
  db: Db,
  settings: OidcSettings,
  identity: OidcIdentity,
  meta: Meta,
): Promise<{ user: UserRow; token: string; expiresAt: number }> {
  const label = identity.email ?? identity.subject;
  const refuse = async (kind: "unauthenticated" | "forbidden", reason: string): Promise<never> => {
    await appendAudit(db, ANONYMOUS, meta, {
      action: "auth.sign_in_failed",
      target: { kind: "user", id: label },
      after: { via: "oidc", subject: identity.subject, reason },
    });
    throw new AuthError(kind, reason);
  };

  const role = roleForGroups(identity.groups, settings.roleMap, settings.defaultRole);
  let user = await userBySubject(db, identity.subject);
  if (!user && identity.email) {
    const byEmail = await userByEmail(db, identity.email);
    if (byEmail && (!identity.emailVerified || byEmail.oidcSubject !== null)) {
      await refuse(
        "forbidden",
        byEmail.oidcSubject !== null
          ? `The account ${byEmail.email} is linked to another ${settings.name} identity`
          : `An account with the email ${byEmail.email} exists, and ${settings.name} did not say the email is verified: ask an admin`,
      );
    }
    if (byEmail?.disabledAt != null) await refuse("forbidden", DISABLED);
    if (byEmail) {
      user = (await updateUser(db, byEmail.id, { oidcSubject: identity.subject })).after;
      await appendAudit(db, actorOf(user), meta, {
        action: "auth.user_updated",
        target: { kind: "user", id: user.email },
        before: publicUser(byEmail),
        after: { ...publicUser(user), via: "oidc" },
      });
    }
  }
  if (user?.disabledAt != null) await refuse("forbidden", DISABLED);
  if (role === null) {
    await refuse("forbidden", `Your ${settings.name} account is in none of the groups that give access to LLMOps: ask an admin`);
  }
  if (!user) {
    if (!identity.email) await refuse("forbidden", `${settings.name} sent no email for this account (the app asks for the email scope)`);
    user = await createUser(db, { email: identity.email!, name: identity.name ?? undefined, role: role!, oidcSubject: identity.subject });
    await appendAudit(db, actorOf(user), meta, {
      action: "auth.user_created",
      target: { kind: "user", id: user.email },
      after: { ...publicUser(user), via: "oidc", groups: identity.groups },
    });
  } else if (user.role !== role) {
    user = await followRole(db, user, role!, identity, meta);
  }

  const session = await createSession(db, user.id, meta);
  await appendAudit(db, actorOf(user), meta, {
    action: "auth.sign_in",
    target: { kind: "user", id: user.email },
    after: { via: "oidc", role: user.role },
  });
  return { user, ...session };
}

async function followRole(db: Db, user: UserRow, role: Role, identity: OidcIdentity, meta: Meta): Promise<UserRow> {
  try {
    const { before, after } = await updateUser(db, user.id, { role });
    await appendAudit(db, actorOf(after), meta, {
      action: "auth.user_updated",
      target: { kind: "user", id: after.email },
      before: publicUser(before),
      after: { ...publicUser(after), via: "oidc", groups: identity.groups },
    });
    return after;
  } catch (error) {
    // The only active admin keeps the role: demoting them would leave nobody to fix the mapping.
    if (error instanceof ConflictError) return user;
    throw error;
  }
}

function actorOf(user: UserRow): Caller {
  return { ...ANONYMOUS, kind: "user", name: user.email, userId: user.id };
}
