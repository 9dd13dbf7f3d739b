import "server-only";
import type { Db } from "@/db/client.server";
import { ANONYMOUS, OPEN, type Caller } from "./caller";
import { AuthError } from "./errors";
import { authEnabled } from "./page-gate";
import { keyIdentity } from "./keys.server";
import { permissionsOf, type Role } from "./roles";
import { digest } from "./secrets.server";
import { SESSION_COOKIE, sessionUser } from "./sessions.server";

/** Reads one request header (web `Headers`, node's IncomingHttpHeaders, Next's headers()). */
export type HeaderReader = (name: string) => string | null | undefined;

export function fromHeaders(headers: { get(name: string): string | null }): HeaderReader {
  return (name) => headers.get(name);
}

export function fromNodeHeaders(headers: Record<string, string | string[] | undefined>): HeaderReader {
  return (name) => {
    const value = headers[name.toLowerCase()];
    return Array.isArray(value) ? value[0] : value;
  };
}

export { authEnabled };

export function cookieValue(cookieHeader: string | null | undefined, name: string): string | undefined {
  if (!cookieHeader) return undefined;
  for (const part of cookieHeader.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/**
 * The credential a request carries: `Authorization: Bearer <key>` (OpenAI SDKs, MLFLOW_TRACKING_TOKEN),
 * `Authorization: Basic` with a key as the password (MLFLOW_TRACKING_USERNAME/PASSWORD), or the
 * session cookie. A header that is present wins over the cookie, and a bad one is refused outright
 * rather than falling back to the cookie.
 */
export function credentialOf(header: HeaderReader): { via: "bearer" | "basic"; secret: string } | { via: "session"; token: string } | null {
  const authorization = header("authorization")?.trim();
  if (authorization) {
    const space = authorization.indexOf(" ");
    const scheme = (space < 0 ? authorization : authorization.slice(0, space)).toLowerCase();
    const value = space < 0 ? "" : authorization.slice(space + 1).trim();
    if (scheme === "bearer") return { via: "bearer", secret: value };
    if (scheme === "basic") {
      const decoded = Buffer.from(value, "base64").toString("utf8");
      const colon = decoded.indexOf(":");
      return { via: "basic", secret: colon < 0 ? decoded : decoded.slice(colon + 1) };
    }
    return { via: "bearer", secret: "" };
  }
  const token = cookieValue(header("cookie"), SESSION_COOKIE);
  return token ? { via: "session", token } : null;
}

/** Who is asking. Throws a 401 for a credential that is present but not valid. */
export async function authenticate(header: HeaderReader, db: Db): Promise<Caller> {
  if (!authEnabled()) return OPEN;
  const credential = credentialOf(header);
  if (!credential) return ANONYMOUS;
  if (credential.via === "session") {
    const tokenHash = digest(credential.token);
    const user = await sessionUser(db, tokenHash);
    // An expired or signed-out cookie is no credential at all: the caller is anonymous (and the
    // dashboard sends them to sign in), not refused.
    if (!user) return ANONYMOUS;
    const role = user.role as Role;
    return {
      kind: "user",
      name: user.email,
      userId: user.id,
      keyId: null,
      role,
      scope: null,
      permissions: permissionsOf(role, null),
      via: "session",
      sessionHash: tokenHash,
    };
  }
  if (!credential.secret) throw new AuthError("unauthenticated", "The Authorization header holds no API key");
  const key = await keyIdentity(db, credential.secret);
  if (!key) throw new AuthError("unauthenticated", "The API key is not valid (unknown, revoked or expired)");
  return {
    kind: "key",
    name: key.email ? `${key.email} (key ${key.name}, ${key.prefix}…)` : `key:${key.name} (${key.prefix}…)`,
    userId: key.userId,
    keyId: key.keyId,
    role: key.role,
    scope: key.scope,
    permissions: permissionsOf(key.role, key.scope),
    via: credential.via,
    sessionHash: null,
  };
}
