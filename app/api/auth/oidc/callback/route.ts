import { z } from "zod";
import { ssoErrorCode } from "@/lib/accounts/sso-errors";
import { sessionCookie } from "@/lib/auth/cookies";
import { clearedFlowCookie, completeSignIn, requireOidc } from "@/lib/auth/oidc.server";
import { signInWithOidc } from "@/lib/auth/sso.server";
import { refuseOtherMethods } from "@/lib/http/methods";
import { route } from "@/lib/http/route";
import { toErrorBody } from "@/lib/http/errors";

export const dynamic = "force-dynamic";

/**
 * Single sign-on, step 2: the provider sends the browser back here with a code. The code becomes
 * checked claims (state, PKCE, ID token and nonce), the claims an account and a session (the same
 * cookie as a password sign-in), and the browser goes on to `next`. A refusal answers a browser's
 * navigation with the sign-in page and a fixed message (`?sso_error=`), other callers with JSON.
 */
export const GET = route({
  access: "public",
  // The provider's parameters: `code`, `state`, `iss`, `session_state`, or `error`…; openid-client checks them.
  query: z.record(z.string(), z.string().max(4_000)),
  handler: async ({ req, ctx }) => {
    try {
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
    } catch (error) {
      if (!isNavigation(req)) throw error;
      const { status, body } = toErrorBody(error);
      console.warn(`[llmops] single sign-on refused (${status}): ${body.error.message}`);
      const headers = new Headers({ location: `/sign-in?sso_error=${ssoErrorCode(status)}`, "cache-control": "no-store" });
      headers.append("set-cookie", clearedFlowCookie(req));
      return new Response(null, { status: 303, headers });
    }
  },
});

/** A browser loading the page (what the provider's redirect is), as opposed to a script or API client. */
function isNavigation(req: Request): boolean {
  return req.headers.get("sec-fetch-mode") === "navigate" || /^text\/html\b/.test(req.headers.get("accept") ?? "");
}

export const { POST, PUT, PATCH, DELETE, OPTIONS } = refuseOtherMethods({ GET });
