import { permissionsOf, type Permission, type Role, type Scope } from "./roles";

/**
 * Who is asking. `open` is every caller when auth is off (LLMOPS_AUTH=off): it may do everything.
 * `internal` is the app's own work (the demo's traffic, background workers).
 */
export interface Caller {
  kind: "anonymous" | "user" | "key" | "internal" | "open";
  /** As the audit log and feedback sources write it: `alice@example.com`, `key:ci (llmops_AbCd)`, `internal:demo`. */
  name: string;
  userId: string | null;
  keyId: string | null;
  /** An API key's own name (as created), which `[budgets]` limits by `api_key` match. */
  keyName?: string;
  role: Role | null;
  scope: Scope | null;
  permissions: ReadonlySet<Permission>;
  /** How the credential came: a session cookie (subject to the CSRF check), a header, or none. */
  via: "session" | "bearer" | "basic" | null;
  sessionHash: string | null;
}

export const ANONYMOUS: Caller = Object.freeze({
  kind: "anonymous",
  name: "anonymous",
  userId: null,
  keyId: null,
  role: null,
  scope: null,
  permissions: new Set<Permission>(),
  via: null,
  sessionHash: null,
});

export const OPEN: Caller = Object.freeze({
  kind: "open",
  name: "anonymous (auth off)",
  userId: null,
  keyId: null,
  role: "admin",
  scope: null,
  permissions: permissionsOf("admin", null),
  via: null,
  sessionHash: null,
});

/** The app's own work, with full rights, named in the audit log. */
export function internalCaller(name: string): Caller {
  return {
    kind: "internal",
    name: `internal:${name}`,
    userId: null,
    keyId: null,
    role: "admin",
    scope: null,
    permissions: permissionsOf("admin", null),
    via: null,
    sessionHash: null,
  };
}

export function isSignedIn(caller: Caller): boolean {
  return caller.kind !== "anonymous";
}

/** The caller as /api/auth/me shows it. */
export function describeCaller(caller: Caller) {
  return {
    kind: caller.kind,
    name: caller.name,
    role: caller.role,
    scope: caller.scope,
    permissions: [...caller.permissions],
  };
}
