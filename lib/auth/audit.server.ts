import "server-only";
import { and, desc, eq, gte, lt, lte, sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db/client.server";
import { auditLog } from "@/db/schema";
import type { Caller } from "./caller";

/**
 * The audit log (issue 14): one appended row per state change, with who, what, when, the request
 * id and before/after. The table refuses UPDATE and DELETE (a trigger, migration 0012); this
 * module has no update or delete either.
 */
export interface AuditEntry {
  /** `<domain>.<verb>`: `registry.alias_set`, `auth.key_revoked`, `mlflow.DeleteRun`, `http.post`. */
  action: string;
  target?: { kind: string; id: string };
  before?: unknown;
  after?: unknown;
}

export interface Audit {
  record(entry: AuditEntry): Promise<void>;
  /** Entries recorded through this request's audit so far (route() adds a generic one when 0). */
  readonly count: number;
}

/** Before/after values over this size are kept as a note of their size, not in full. */
const MAX_VALUE_CHARS = 32_000;

function bounded(value: unknown): unknown {
  if (value === undefined) return null;
  const text = JSON.stringify(value);
  if (text === undefined) return null;
  return text.length <= MAX_VALUE_CHARS ? value : { truncated: true, chars: text.length, preview: text.slice(0, 2_000) };
}

export function auditFor(db: Db, caller: Caller, meta: { requestId: string; address: string }): Audit {
  let count = 0;
  return {
    get count() {
      return count;
    },
    async record(entry) {
      count += 1;
      await appendAudit(db, caller, meta, entry);
    },
  };
}

export async function appendAudit(db: Db, caller: Caller, meta: { requestId: string; address: string }, entry: AuditEntry): Promise<void> {
  await db.insert(auditLog).values({
    at: Date.now(),
    actor: caller.name,
    actorKind: caller.kind,
    actorId: caller.userId ?? caller.keyId,
    action: entry.action,
    targetKind: entry.target?.kind ?? "",
    targetId: entry.target?.id ?? "",
    requestId: meta.requestId,
    address: meta.address,
    before: bounded(entry.before),
    after: bounded(entry.after),
  });
}

export interface AuditFilter {
  actor?: string;
  action?: string;
  targetKind?: string;
  targetId?: string;
  from?: number;
  to?: number;
  before?: number;
  limit: number;
}

export async function listAudit(db: Db, filter: AuditFilter) {
  const where: SQL[] = [];
  if (filter.actor) where.push(sql`position(lower(${filter.actor}) in lower(${auditLog.actor})) > 0`);
  if (filter.action) where.push(sql`starts_with(${auditLog.action}, ${filter.action})`);
  if (filter.targetKind) where.push(eq(auditLog.targetKind, filter.targetKind));
  if (filter.targetId) where.push(eq(auditLog.targetId, filter.targetId));
  if (filter.from !== undefined) where.push(gte(auditLog.at, filter.from));
  if (filter.to !== undefined) where.push(lte(auditLog.at, filter.to));
  if (filter.before !== undefined) where.push(lt(auditLog.id, filter.before));
  const rows = await db
    .select()
    .from(auditLog)
    .where(and(...where))
    .orderBy(desc(auditLog.id))
    .limit(filter.limit + 1);
  const page = rows.slice(0, filter.limit);
  return {
    entries: page.map((r) => ({
      id: r.id,
      at: new Date(r.at).toISOString(),
      actor: r.actor,
      actor_kind: r.actorKind,
      action: r.action,
      target_kind: r.targetKind,
      target_id: r.targetId,
      request_id: r.requestId,
      address: r.address,
      before: r.before ?? null,
      after: r.after ?? null,
    })),
    next_before: rows.length > filter.limit ? (page.at(-1)?.id ?? null) : null,
  };
}

/** Failed sign-ins in the window, for an account or an address (the rate limit reads the log). */
export async function countFailedSignIns(db: Db, by: { email?: string; address?: string }, sinceMs: number): Promise<number> {
  const where = [eq(auditLog.action, "auth.sign_in_failed"), gte(auditLog.at, sinceMs)];
  if (by.email !== undefined) where.push(eq(auditLog.targetId, by.email));
  if (by.address !== undefined) where.push(eq(auditLog.address, by.address));
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(auditLog)
    .where(and(...where));
  return row?.n ?? 0;
}
