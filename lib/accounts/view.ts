import { formatUtc } from "@/lib/analytics/format";
import { ROLES, type ApiKey, type Role } from "./schemas";

/** Pure helpers of the account pages: times, key status, date-input conversions, role order. */

/** An API timestamp in the dashboard's fixed UTC form, or an em dash. */
export function formatAt(iso: string | null | undefined, withSeconds = false): string {
  if (!iso) return "—";
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? formatUtc(ms, withSeconds) : iso;
}

export type KeyStatus = "active" | "revoked" | "expired";

export function keyStatus(key: Pick<ApiKey, "revoked_at" | "expires_at">, now = Date.now()): KeyStatus {
  if (key.revoked_at) return "revoked";
  if (key.expires_at && Date.parse(key.expires_at) <= now) return "expired";
  return "active";
}

/** A `<input type="date">` value (YYYY-MM-DD, read as UTC) as the ISO instant its day starts or ends. */
export function dayStartIso(date: string): string | undefined {
  return /^\d{4}-\d{2}-\d{2}$/.test(date) && Number.isFinite(Date.parse(`${date}T00:00:00.000Z`)) ? `${date}T00:00:00.000Z` : undefined;
}

export function dayEndIso(date: string): string | undefined {
  return dayStartIso(date) ? `${date}T23:59:59.999Z` : undefined;
}

/** The date-input value (YYYY-MM-DD) of an ISO instant, for filters kept in the URL as ISO. */
export function isoDay(iso: string | undefined): string {
  return iso && /^\d{4}-\d{2}-\d{2}/.test(iso) ? iso.slice(0, 10) : "";
}

/** Roles from least to most: viewer, reviewer, editor, admin. */
const ORDER: readonly Role[] = [...ROLES].reverse();

/** The roles a key may carry when its owner holds `role`: that one and every lesser one. */
export function rolesUpTo(role: Role | null | undefined): Role[] {
  if (!role) return [];
  return ORDER.slice(0, ORDER.indexOf(role) + 1);
}

/** How the audit page writes a target: `kind id`, or what is known of it. */
export function targetLabel(kind: string | null, id: string | null): string {
  if (kind && id) return `${kind} ${id}`;
  return kind ?? id ?? "—";
}
