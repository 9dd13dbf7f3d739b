import "server-only";
import type { Db } from "@/db/client.server";
import { authEnabled } from "@/lib/auth/authenticate.server";
import { describeCaller, type Caller } from "@/lib/auth/caller";
import { currentCaller } from "@/lib/auth/current.server";
import { oidcSummary } from "@/lib/auth/oidc.server";
import { publicUser, userById } from "@/lib/auth/users.server";
import { getStores } from "@/lib/stores/index.server";
import { meReply, type Me } from "./schemas";

/** What GET /api/auth/me answers: who the caller is, what they may do, and whether SSO is offered. */
export async function meOf(caller: Caller, db: Db) {
  return {
    auth_enabled: authEnabled(),
    caller: describeCaller(caller),
    user: caller.userId ? publicUser(await userById(db, caller.userId)) : null,
    // Whether the sign-in page offers "Sign in with <name>" (a link to /api/auth/oidc/start).
    oidc: oidcSummary(),
  };
}

/**
 * The same for the page being rendered (server components): the dashboard layout seeds the
 * browser's caller query with it, so gated buttons are right on first paint.
 */
export async function currentMe(): Promise<Me> {
  const [caller, stores] = await Promise.all([currentCaller(), getStores()]);
  return meReply.parse(await meOf(caller, stores.postgres.db));
}
