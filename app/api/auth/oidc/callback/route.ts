import { z } from "zod";
import { sessionCookie } from "@/lib/auth/cookies";
import { clearedFlowCookie, completeSignIn, requireOidc } from "@/lib/auth/oidc.server";
import { signInWithOidc } from "@/lib/auth/sso.server";
import { refuseOtherMethods } from "@/lib/http/methods";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/**
 * Single sign-on, step 2: the provider sends the browser back here with a code. The code becomes
 * checked claims (state, PKCE, ID token and nonce), the claims an account and a session (the same
 * cookie as a password sign-in), and the browser goes on to `next`.
 */
export const GET = route({
  access: "public",
  // The provider's parameters: `code`, `state`, `iss`, `session_state`, or `error`…; openid-client checks them.
  query: z.record(z.string(), z.string().max(4_000)),
  handler: async ({ req, ctx }) => {
    const settings = requireOidc();
    const identity = await completeSignIn(req);
    const { token, expiresAt } = await signInWithOidc(ctx.stores.postgres.db, settings, identity, {
      requestId: ctx.requestId,
      address: ctx.address,
      userAgent: req.headers.get("user-agent") ?? "",
    });
    const headers = new Headers({ location: identity.next, "cache-control": "no-store" });
    headers.append("set-cookie", sessionCookie(req, token, expiresAt));
    headers.append("set-cookie", clearedFlowCookie(req));
    return new Response(null, { status: 303, headers });
  },
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = refuseOtherMethods({ GET });
