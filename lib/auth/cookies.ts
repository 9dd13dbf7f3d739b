import "server-only";
import { SESSION_COOKIE } from "./sessions.server";

/** The session cookie: HTTP-only, SameSite=Lax, Secure when the request came over HTTPS. */
export function sessionCookie(req: Request, token: string, expiresAt: number): string {
  return [
    `${SESSION_COOKIE}=${token}`,
    "Path=/",
    "HttpOnly",
    "SameSite=Lax",
    `Expires=${new Date(expiresAt).toUTCString()}`,
    ...(isHttps(req) ? ["Secure"] : []),
  ].join("; ");
}

export function clearedSessionCookie(req: Request): string {
  return [`${SESSION_COOKIE}=`, "Path=/", "HttpOnly", "SameSite=Lax", "Max-Age=0", ...(isHttps(req) ? ["Secure"] : [])].join("; ");
}

export function isHttps(req: Request): boolean {
  return new URL(req.url).protocol === "https:" || req.headers.get("x-forwarded-proto")?.split(",")[0]?.trim() === "https";
}
