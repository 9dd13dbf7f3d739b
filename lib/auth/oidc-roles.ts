import { ROLES, type Role } from "./roles";

/**
 * Single sign-on's group → role mapping (LLMOPS_OIDC_ROLE_MAP), kept pure so settings validation
 * and the callback share it. A person in several mapped groups gets the highest of their roles.
 */
export interface RoleMapping {
  group: string;
  role: Role;
}

/**
 * `llmops-admins=admin,ml-eng=editor` (each entry split at its last `=`), or a JSON object
 * `{"cn=admins,ou=groups,dc=example":"admin"}` for group names that hold commas.
 */
export function parseRoleMap(text: string | undefined): RoleMapping[] {
  const source = text?.trim() ?? "";
  if (!source) return [];
  const entries: [string, unknown][] = source.startsWith("{") ? Object.entries(parseJsonObject(source)) : splitPairs(source);
  return entries.map(([group, role]) => {
    if (!group) throw new Error("a group name is empty");
    if (typeof role !== "string" || !(ROLES as readonly string[]).includes(role)) {
      throw new Error(`group "${group}" maps to "${String(role)}", which is not one of ${ROLES.join(", ")}`);
    }
    return { group, role: role as Role };
  });
}

function splitPairs(source: string): [string, string][] {
  return source
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const at = entry.lastIndexOf("=");
      if (at < 0) throw new Error(`"${entry}" is not group=role`);
      return [entry.slice(0, at).trim(), entry.slice(at + 1).trim()];
    });
}

function parseJsonObject(source: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(source);
  } catch {
    throw new Error('is neither group=role,group=role nor a JSON object {"group":"role"}');
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new Error('must be a JSON object {"group":"role"}');
  return value as Record<string, unknown>;
}

/**
 * The groups in a claim: an array of strings, or one string (space- or comma-separated). A dotted
 * name reaches into nested claims (`realm_access.roles`, as Keycloak sends roles) when no claim
 * has that exact name.
 */
export function groupsIn(claims: Record<string, unknown>, claim: string): string[] {
  let value: unknown = claims[claim];
  if (value === undefined && claim.includes(".")) {
    value = claim.split(".").reduce<unknown>((node, key) => (isRecord(node) ? node[key] : undefined), claims);
  }
  if (typeof value === "string") return value.split(/[\s,]+/).filter(Boolean);
  if (Array.isArray(value)) return value.filter((g): g is string => typeof g === "string");
  return [];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The highest role any of the groups maps to; else the default (`null`: no access). */
export function roleForGroups(groups: readonly string[], map: readonly RoleMapping[], fallback: Role | null): Role | null {
  const have = new Set(groups);
  let best: Role | null = null;
  for (const { group, role } of map) {
    if (have.has(group) && (best === null || ROLES.indexOf(role) > ROLES.indexOf(best))) best = role;
  }
  return best ?? fallback;
}
