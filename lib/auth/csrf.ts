import { AuthError } from "./errors";

/**
 * Cross-site request forgery: a browser attaches the session cookie to requests any page makes.
 * A state change authenticated by that cookie must therefore prove it came from our own pages:
 * it carries CSRF_HEADER (a page on another origin cannot set a custom header without a CORS
 * preflight, which this app never grants: neither a form POST nor a `no-cors` fetch can), and when
 * the browser says where it came from (Origin, Sec-Fetch-Site) that is this origin. Requests
 * with an API key in a header carry no ambient credential and need neither.
 */
export const CSRF_HEADER = "x-llmops-csrf";
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export function isStateChanging(method: string): boolean {
  return !SAFE_METHODS.has(method.toUpperCase());
}

export function checkSameOrigin(header: (name: string) => string | null | undefined): void {
  const site = header("sec-fetch-site");
  if (site && site !== "same-origin" && site !== "none") {
    throw new AuthError("forbidden", `Cross-site request refused (Sec-Fetch-Site: ${site.slice(0, 40)})`);
  }
  const origin = header("origin");
  if (origin) {
    let host: string | undefined;
    try {
      host = new URL(origin).host;
    } catch {
      host = undefined;
    }
    if (!host || host !== header("host")) throw new AuthError("forbidden", `Cross-origin request refused (Origin: ${origin.slice(0, 80)})`);
  }
  if (!header(CSRF_HEADER)) {
    throw new AuthError("forbidden", `A state change signed in by cookie must carry the ${CSRF_HEADER} header (the dashboard sends it)`);
  }
}
