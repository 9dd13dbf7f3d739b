import { NextResponse } from "next/server";
import { z } from "zod";
import { signIn } from "@/lib/auth/accounts.server";
import { sessionCookie } from "@/lib/auth/cookies";
import { publicUser } from "@/lib/auth/users.server";
import { refuseOtherMethods } from "@/lib/http/methods";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

export const POST = route({
  access: "public",
  body: z.object({ email: z.string().trim().min(1).max(320), password: z.string().min(1).max(1_000) }),
  handler: async ({ req, body, ctx }) => {
    const { user, token, expiresAt } = await signIn(ctx.stores.postgres.db, body, {
      requestId: ctx.requestId,
      address: ctx.address,
      userAgent: req.headers.get("user-agent") ?? "",
    });
    const res = NextResponse.json({ user: publicUser(user) });
    res.headers.append("set-cookie", sessionCookie(req, token, expiresAt));
    return res;
  },
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = refuseOtherMethods({ POST });
