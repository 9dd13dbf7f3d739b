import { NextResponse } from "next/server";
import { clearedSessionCookie } from "@/lib/auth/cookies";
import { deleteSession } from "@/lib/auth/sessions.server";
import { refuseOtherMethods } from "@/lib/http/methods";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

export const POST = route({
  access: "public",
  handler: async ({ req, ctx }) => {
    if (ctx.caller.sessionHash) {
      await deleteSession(ctx.stores.postgres.db, ctx.caller.sessionHash);
      await ctx.audit.record({ action: "auth.sign_out", target: { kind: "user", id: ctx.caller.name } });
    }
    const res = NextResponse.json({ ok: true });
    res.headers.append("set-cookie", clearedSessionCookie(req));
    return res;
  },
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = refuseOtherMethods({ POST });
