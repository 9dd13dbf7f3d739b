import "server-only";
import { authEnabled } from "@/lib/auth/authenticate.server";
import { describeCaller } from "@/lib/auth/caller";
import { currentCaller } from "@/lib/auth/current.server";
import { publicUser, userById } from "@/lib/auth/users.server";
import { getStores } from "@/lib/stores/index.server";
import { meReply, type Me } from "./schemas";

/**
 * What GET /api/auth/me answers, for the page being rendered (server components): the dashboard
 * layout seeds the browser's caller query with it, so gated buttons are right on first paint.
 */
export async function currentMe(): Promise<Me> {
  const caller = await currentCaller();
  const user = caller.userId ? publicUser(await userById((await getStores()).postgres.db, caller.userId)) : null;
  return meReply.parse({ auth_enabled: authEnabled(), caller: describeCaller(caller), user });
}
