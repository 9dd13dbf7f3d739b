import { z } from "zod";
import { beginSignIn } from "@/lib/auth/oidc.server";
import { refuseOtherMethods } from "@/lib/http/methods";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/**
 * Single sign-on, step 1: sends the browser to the identity provider (the sign-in page's "Sign in
 * with SSO" button links here, with `next` = where to land afterwards, a path on this origin).
 */
export const GET = route({
  access: "public",
  query: z.object({ next: z.string().max(2_000).optional() }),
  handler: async ({ req, query }) => {
    const { location, cookie } = await beginSignIn(req, query.next);
    return new Response(null, { status: 303, headers: { location, "set-cookie": cookie, "cache-control": "no-store" } });
  },
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = refuseOtherMethods({ GET });
