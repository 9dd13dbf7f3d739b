import { NextResponse, type NextRequest } from "next/server";
import { signInRedirect } from "@/lib/auth/page-gate";
import { clip } from "@/lib/http/clip";
import { surfaceError, surfaceOf } from "@/lib/http/surface";

/**
 * Runs before Next routes an API request, for what no route handler can answer: a path segment
 * that is not valid percent-encoding (Next would fail to decode it and answer a plain-text 500)
 * and a method Next does not route (it would answer an empty 400). Both get a JSON 4xx in the
 * path's dialect. A dashboard page asked for without a session cookie is sent to sign in
 * (lib/auth/page-gate.ts). Everything else passes through untouched.
 */
const API_PATH = /^\/(api|ajax-api|openai)(\/|$)/;
const ROUTED_METHODS = new Set(["GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE"]);

export function proxy(req: NextRequest): Response {
  const { pathname, search } = req.nextUrl;
  const signIn = signInRedirect(pathname, search, req.cookies, req.headers);
  // Absolute, as Next's proxy requires of a Location (the Host was checked by scripts/http-guard.mjs).
  if (signIn) return NextResponse.redirect(new URL(signIn, req.nextUrl), { status: 307, headers: { "cache-control": "no-store" } });
  if (!API_PATH.test(pathname)) return NextResponse.next();
  const surface = surfaceOf(pathname);
  if (!ROUTED_METHODS.has(req.method)) {
    const allow = [...ROUTED_METHODS].join(", ");
    return surfaceError(surface, 405, "method_not_allowed", `${clip(req.method, 40)} is not an HTTP method this API serves; use ${allow}`, {
      allow,
    });
  }
  for (const segment of pathname.split("/")) {
    try {
      decodeURIComponent(segment);
    } catch {
      return surfaceError(
        surface,
        400,
        "bad_request",
        `The path segment "${clip(segment, 60)}" is not valid percent-encoded UTF-8 (write % as %25; each %XX is one byte of UTF-8)`,
      );
    }
  }
  return NextResponse.next();
}

// Every path but Next's own assets: the API checks above, and the dashboard's sign-in redirect.
export const config = { matcher: ["/", "/((?!_next/).*)"] };
