import { authEnabled } from "@/lib/auth/authenticate.server";
import { describeCaller } from "@/lib/auth/caller";
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
  }),
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = refuseOtherMethods({ GET });
