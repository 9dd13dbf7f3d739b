/**
 * Who may do what (issue 14). Accounts have one role; service keys have one scope (or a role).
 * A route names the one permission it needs (`access`); `allows` is the single check.
 */
export const ROLES = ["viewer", "reviewer", "editor", "admin"] as const;
export type Role = (typeof ROLES)[number];

export const SCOPES = ["inference", "tracking"] as const;
export type Scope = (typeof SCOPES)[number];

export const PERMISSIONS = ["read", "label", "edit", "admin", "inference", "tracking"] as const;
export type Permission = (typeof PERMISSIONS)[number];

const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  viewer: ["read"],
  reviewer: ["read", "label"],
  // Editors run experiments and call models: MLflow writes and gateway calls are theirs too.
  editor: ["read", "label", "edit", "inference", "tracking"],
  admin: PERMISSIONS,
};

const SCOPE_PERMISSIONS: Record<Scope, readonly Permission[]> = {
  // Gateway calls and feedback only: a key for an application in production.
  inference: ["inference"],
  // MLflow's REST API, reads and writes: a key for training jobs and CI.
  tracking: ["tracking"],
};

export function permissionsOf(role: Role | null, scope: Scope | null): ReadonlySet<Permission> {
  return new Set([...(role ? ROLE_PERMISSIONS[role] : []), ...(scope ? SCOPE_PERMISSIONS[scope] : [])]);
}

/** The lower of two roles (a user's key never outranks its user). */
export function lowerRole(a: Role, b: Role): Role {
  return ROLES.indexOf(a) <= ROLES.indexOf(b) ? a : b;
}

/**
 * What a route needs. `public`: anyone, signed in or not. `signed-in`: every identity (own account
 * and keys). `tracking-read`: MLflow reads (a viewer, or a tracking key reading what it logs).
 * Every other value names the permission.
 */
export const ACCESS = ["public", "signed-in", "tracking-read", ...PERMISSIONS] as const;
export type Access = (typeof ACCESS)[number];

export function allows(permissions: ReadonlySet<Permission>, signedIn: boolean, access: Access): boolean {
  if (access === "public") return true;
  if (access === "signed-in") return signedIn;
  if (access === "tracking-read") return permissions.has("read") || permissions.has("tracking");
  return permissions.has(access);
}

/** Words for a 403: what the route needs, said so a person knows whom to ask. */
export function describeAccess(access: Access): string {
  switch (access) {
    case "public":
      return "nothing";
    case "signed-in":
      return "a signed-in account or an API key";
    case "tracking-read":
      return "the viewer role or the tracking scope";
    case "read":
      return "the viewer role or higher";
    case "label":
      return "the reviewer role or higher";
    case "edit":
      return "the editor role or higher";
    case "admin":
      return "the admin role";
    case "inference":
      return "the inference scope or the editor role or higher";
    case "tracking":
      return "the tracking scope or the editor role or higher";
  }
}
