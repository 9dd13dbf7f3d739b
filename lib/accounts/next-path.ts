/**
 * Where to go after signing in: only a path on this site. `?next=//evil.test` or
 * `?next=https://evil.test` would make the sign-in page an open redirect, so anything that is not
 * a plain absolute path (or that points back at /sign-in) falls back to the overview.
 */
export function safeNextPath(next: string | null | undefined): string {
  if (!next || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) return "/";
  // Browsers treat a backslash like a slash and drop tabs and newlines in URLs: refuse both.
  if (/[\\\t\r\n]/.test(next)) return "/";
  const url = new URL(next, "http://local.invalid");
  if (url.origin !== "http://local.invalid") return "/";
  if (url.pathname === "/sign-in") return "/";
  return `${url.pathname}${url.search}${url.hash}`;
}

/** The sign-in URL that returns to `path` afterwards. */
export function signInHref(path: string): string {
  const next = safeNextPath(path);
  return next === "/" ? "/sign-in" : `/sign-in?next=${encodeURIComponent(next)}`;
}
