import "server-only";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { contextFor, type RequestContext } from "./context.server";
import { AuthError } from "./errors";
import type { Access } from "./roles";

/**
 * The request context of a page (server components): the same caller, stores and audit as a
 * route's. Nobody signed in → the sign-in page, then back here; signed in without the access the
 * page needs → the overview. The API checks the same rules on every call regardless.
 */
export async function pageContext(access: Access = "read"): Promise<RequestContext> {
  const list = await headers();
  try {
    return await contextFor((name) => list.get(name), "GET", access);
  } catch (error) {
    if (!(error instanceof AuthError)) throw error;
    // x-llmops-path: the path asked for, set by the server (scripts/http-guard.mjs); only a local path is kept.
    const asked = list.get("x-llmops-path") ?? "/";
    const next = asked.startsWith("/") && !asked.startsWith("//") ? asked : "/";
    if (error.kind === "unauthenticated") redirect(`/sign-in?next=${encodeURIComponent(next)}`);
    redirect("/?denied=1");
  }
}
