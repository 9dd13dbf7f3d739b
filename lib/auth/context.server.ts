import "server-only";
import { randomUUID } from "node:crypto";
import { getStores, type Stores } from "@/lib/stores/index.server";
import { auditFor, type Audit } from "./audit.server";
import { authenticate, type HeaderReader } from "./authenticate.server";
import { isSignedIn, type Caller } from "./caller";
import { checkSameOrigin, isStateChanging } from "./csrf";
import { AuthError } from "./errors";
import { allows, describeAccess, type Access } from "./roles";

/**
 * The one request context of every front door (app routes, MLflow's endpoint table and raw
 * handlers, the gateway): who asks, the stores, the audit log bound to both, and the request id.
 */
export interface RequestContext {
  caller: Caller;
  stores: Stores;
  audit: Audit;
  requestId: string;
  address: string;
}

/** The client's address as the custom server saw it (scripts/server.mjs overwrites any sent one). */
export const ADDRESS_HEADER = "x-llmops-client-address";

/** The request's id (a sane `x-request-id`, else a new one) and the client's address, for the audit log. */
export function requestMeta(header: HeaderReader): { requestId: string; address: string } {
  const given = header("x-request-id");
  return { requestId: given && /^[\w.:-]{1,100}$/.test(given) ? given : randomUUID(), address: header(ADDRESS_HEADER) ?? "" };
}

/** Refuses a caller without the access a route needs: 401 when nobody signed in, else 403. */
export function checkAccess(caller: Caller, access: Access): void {
  if (allows(caller.permissions, isSignedIn(caller), access)) return;
  if (!isSignedIn(caller)) {
    throw new AuthError("unauthenticated", "Sign in, or send an API key as `Authorization: Bearer <key>`");
  }
  throw new AuthError("forbidden", `${caller.name} may not do this: it needs ${describeAccess(access)}`);
}

export async function contextFor(header: HeaderReader, method: string, access: Access, stores?: Stores): Promise<RequestContext> {
  const resolved = stores ?? (await getStores());
  const caller = await authenticate(header, resolved.postgres.db);
  checkAccess(caller, access);
  if (caller.via === "session" && isStateChanging(method)) checkSameOrigin(header);
  const meta = requestMeta(header);
  return { caller, stores: resolved, ...meta, audit: auditFor(resolved.postgres.db, caller, meta) };
}

export function requestContext(req: Request, access: Access, stores?: Stores): Promise<RequestContext> {
  return contextFor((name) => req.headers.get(name), req.method, access, stores);
}
