import "server-only";
import { randomUUID } from "node:crypto";
import { asc, eq, isNull, sql } from "drizzle-orm";
import type { Db } from "@/db/client.server";
import { users } from "@/db/schema";
import { BadRequestError, ConflictError, NotFoundError } from "@/lib/http/errors";
import type { Role } from "./roles";
import { hashPassword, MIN_PASSWORD_LENGTH } from "./secrets.server";
import { forgetSessions } from "./sessions.server";

export type UserRow = typeof users.$inferSelect;

/** An account as the API shows it: never the password hash. */
export function publicUser(row: UserRow) {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role as Role,
    created_at: new Date(row.createdAt).toISOString(),
    disabled_at: row.disabledAt === null ? null : new Date(row.disabledAt).toISOString(),
    sso: row.oidcSubject !== null,
  };
}
export type PublicUser = ReturnType<typeof publicUser>;

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function checkPassword(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new BadRequestError(`The password must be at least ${MIN_PASSWORD_LENGTH} characters long`);
  }
}

export async function createUser(
  db: Db,
  input: { email: string; name?: string; role: Role; password?: string | null; oidcSubject?: string | null },
): Promise<UserRow> {
  if (input.password != null) checkPassword(input.password);
  const email = normaliseEmail(input.email);
  const [row] = await db
    .insert(users)
    .values({
      id: randomUUID(),
      email,
      name: input.name?.trim() || email.split("@")[0]!,
      role: input.role,
      passwordHash: input.password == null ? null : await hashPassword(input.password),
      oidcSubject: input.oidcSubject ?? null,
      createdAt: Date.now(),
    })
    .onConflictDoNothing()
    .returning();
  if (!row) throw new ConflictError(`An account with the email ${email} already exists`);
  return row;
}

export async function userByEmail(db: Db, email: string): Promise<UserRow | undefined> {
  const [row] = await db
    .select()
    .from(users)
    .where(eq(users.email, normaliseEmail(email)));
  return row;
}

export async function userById(db: Db, id: string): Promise<UserRow> {
  const [row] = await db.select().from(users).where(eq(users.id, id));
  if (!row) throw new NotFoundError(`No account with id ${id}`);
  return row;
}

export async function userBySubject(db: Db, subject: string): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(eq(users.oidcSubject, subject));
  return row;
}

export async function listUsers(db: Db): Promise<UserRow[]> {
  return db.select().from(users).orderBy(asc(users.email));
}

export async function countActiveAdmins(db: Db): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(users)
    .where(sql`${users.role} = 'admin' and ${users.disabledAt} is null`);
  return row?.n ?? 0;
}

export async function countUsers(db: Db): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(users);
  return row?.n ?? 0;
}

export async function updateUser(
  db: Db,
  id: string,
  change: { role?: Role; name?: string; disabled?: boolean; password?: string; oidcSubject?: string },
): Promise<{ before: UserRow; after: UserRow }> {
  const before = await userById(db, id);
  const demotes = (change.role !== undefined && change.role !== "admin") || change.disabled === true;
  if (before.role === "admin" && before.disabledAt === null && demotes && (await countActiveAdmins(db)) <= 1) {
    throw new ConflictError("This is the only active admin: make another account admin first");
  }
  if (change.password !== undefined) checkPassword(change.password);
  const [after] = await db
    .update(users)
    .set({
      ...(change.role !== undefined && { role: change.role }),
      ...(change.name !== undefined && { name: change.name.trim() }),
      ...(change.disabled !== undefined && { disabledAt: change.disabled ? (before.disabledAt ?? Date.now()) : null }),
      ...(change.password !== undefined && { passwordHash: await hashPassword(change.password) }),
      ...(change.oidcSubject !== undefined && { oidcSubject: change.oidcSubject }),
    })
    .where(eq(users.id, id))
    .returning();
  // Cached sessions carry the account's role and state: forget them here at once.
  forgetSessions();
  return { before, after: after! };
}

export const activeUser = isNull(users.disabledAt);
