import { authEnabled } from "@/lib/auth/authenticate.server";
import { describeCaller } from "@/lib/auth/caller";
import { oidcSummary } from "@/lib/auth/oidc.server";
import { publicUser, userById } from "@/lib/auth/users.server";
import { refuseOtherMethods } from "@/lib/http/methods";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** Who the request is from, and what it may do (the dashboard shows and hides actions by this). */
export const GET = route({
  access: "public",
  handler: async ({ ctx }) => ({
    auth_enabled: authEnabled(),
    caller: describeCaller(ctx.caller),
    user: ctx.caller.userId ? publicUser(await userById(ctx.stores.postgres.db, ctx.caller.userId)) : null,
    // Whether the sign-in page offers "Sign in with <name>" (a link to /api/auth/oidc/start).
    oidc: oidcSummary(),
  }),
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = refuseOtherMethods({ GET });
