import { meOf } from "@/lib/accounts/me.server";
import { refuseOtherMethods } from "@/lib/http/methods";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** Who the request is from, and what it may do (the dashboard shows and hides actions by this). */
export const GET = route({
  access: "public",
  handler: async ({ ctx }) => meOf(ctx.caller, ctx.stores.postgres.db),
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = refuseOtherMethods({ GET });
