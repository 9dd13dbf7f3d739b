import { fetchJson } from "@/lib/query/fetch-json";
import {
  auditReply,
  createdKeyReply,
  keyReply,
  keysReply,
  meReply,
  okReply,
  signInReply,
  userReply,
  usersReply,
  type AuditFilters,
  type Role,
  type Scope,
} from "./schemas";

/** The dashboard's calls to the accounts API; fetchJson adds the CSRF header to every write. */

const send = (method: string, body?: unknown): { init: RequestInit } => ({
  init: {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  },
});

export interface NewKeyInput {
  name: string;
  role?: Role;
  scope?: Scope;
  service?: boolean;
  expires_at?: string;
}

export interface UserPatch {
  role?: Role;
  name?: string;
  disabled?: boolean;
  password?: string;
}

/** The audit API's query string for these filters (empty values left out). */
export function auditUrl(filters: AuditFilters, limit = 50): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) {
    if (value !== undefined && value !== "") params.set(key, String(value));
  }
  params.set("limit", String(limit));
  return `/api/admin/audit?${params.toString()}`;
}

export const accountsApi = {
  me: () => fetchJson("/api/auth/me", meReply),
  signIn: (email: string, password: string) => fetchJson("/api/auth/sign-in", signInReply, send("POST", { email, password })),
  signOut: () => fetchJson("/api/auth/sign-out", okReply, send("POST")),
  changePassword: (current_password: string, new_password: string) =>
    fetchJson("/api/auth/password", okReply, send("POST", { current_password, new_password })),
  users: () => fetchJson("/api/admin/users", usersReply).then((r) => r.users),
  createUser: (body: { email: string; name: string; role: Role; password: string }) =>
    fetchJson("/api/admin/users", userReply, send("POST", body)).then((r) => r.user),
  updateUser: (id: string, patch: UserPatch) =>
    fetchJson(`/api/admin/users/${encodeURIComponent(id)}`, userReply, send("PATCH", patch)).then((r) => r.user),
  keys: () => fetchJson("/api/keys", keysReply).then((r) => r.keys),
  createKey: (body: NewKeyInput) => fetchJson("/api/keys", createdKeyReply, send("POST", body)),
  revokeKey: (id: string) => fetchJson(`/api/keys/${encodeURIComponent(id)}`, keyReply, send("DELETE")).then((r) => r.key),
  audit: (filters: AuditFilters) => fetchJson(auditUrl(filters), auditReply),
};
