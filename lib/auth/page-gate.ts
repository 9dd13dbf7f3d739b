/**
 * The first check of a dashboard page, in proxy.ts: a visitor with no session cookie (and auth
 * on) is sent to sign in with a real 307 before the page renders, rather than by the script a
 * streamed page can only add once its status is sent (pageContext() still checks the cookie
 * itself, and sends a stale one to sign in that way). No store is read here.
 */
export const SESSION_COOKIE = "llmops_session";

const OFF = new Set(["off", "false", "0", "no"]);

/**
 * Auth is on unless LLMOPS_AUTH=off is set explicitly (read on each call, so a test can flip it;
 * lib/env.server.ts validates the value at start-up).
 */
export function authEnabled(): boolean {
  return !OFF.has((process.env.LLMOPS_AUTH ?? "").trim().toLowerCase());
}

/** The dashboard's top-level sections (app/(dashboard)/*; a unit test keeps the two equal). */
export const DASHBOARD_SECTIONS = [
  "admin",
  "datasets",
  "evaluations",
  "experiments",
  "functions",
  "inferences",
  "labelling",
  "lineage",
  "playground",
  "registry",
  "settings",
  "traces",
  "usage",
] as const;

const SECTION = new RegExp(`^/(${DASHBOARD_SECTIONS.join("|")})(/|$)`);

export function isDashboardPage(pathname: string): boolean {
  return pathname === "/" || SECTION.test(pathname);
}

/** Where a visitor of a page with neither a session cookie nor a key goes instead (`/sign-in?next=…`), or nothing. */
export function signInRedirect(
  pathname: string,
  search: string,
  cookies: { has(name: string): boolean },
  headers: { has(name: string): boolean },
): string | undefined {
  if (!authEnabled() || !isDashboardPage(pathname) || cookies.has(SESSION_COOKIE) || headers.has("authorization")) return undefined;
  return `/sign-in?next=${encodeURIComponent(pathname + search)}`;
}
