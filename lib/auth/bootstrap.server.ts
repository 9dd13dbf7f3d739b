import "server-only";
import { eq } from "drizzle-orm";
import type { Db } from "@/db/client.server";
import { apiKeys } from "@/db/schema";
import type { Env } from "@/lib/env.server";
import { appendAudit } from "./audit.server";
import { internalCaller } from "./caller";
import { authEnabled } from "./authenticate.server";
import { clearKeyCache, createKey } from "./keys.server";
import { digest, randomToken } from "./secrets.server";
import { countUsers, createUser } from "./users.server";

export const DEFAULT_ADMIN_EMAIL = "admin@localhost";
const SETUP = internalCaller("setup");
const META = { requestId: "start-up", address: "" };

/**
 * Start-up (every instance; idempotent and safe to race): on a data store without accounts, the
 * first admin; and the admin key of LLMOPS_ADMIN_API_KEY. Returns lines for the console.
 */
export async function bootstrapAuth(
  db: Db,
  env: Pick<Env, "LLMOPS_ADMIN_EMAIL" | "LLMOPS_ADMIN_PASSWORD" | "LLMOPS_ADMIN_API_KEY">,
): Promise<string[]> {
  if (!authEnabled()) return ["Auth is off (LLMOPS_AUTH=off): anyone who can reach this server may do anything."];
  const lines: string[] = [];
  if (env.LLMOPS_ADMIN_API_KEY) await ensureAdminKey(db, env.LLMOPS_ADMIN_API_KEY);
  if ((await countUsers(db)) === 0) {
    const email = env.LLMOPS_ADMIN_EMAIL ?? DEFAULT_ADMIN_EMAIL;
    const password = env.LLMOPS_ADMIN_PASSWORD ?? randomToken().slice(0, 20);
    try {
      const user = await createUser(db, { email, name: "Admin", role: "admin", password });
      await appendAudit(db, SETUP, META, {
        action: "auth.user_created",
        target: { kind: "user", id: user.email },
        after: { role: "admin" },
      });
      lines.push(
        env.LLMOPS_ADMIN_PASSWORD
          ? `Sign in as ${email} with the password in LLMOPS_ADMIN_PASSWORD.`
          : `Sign in as ${email} with the password ${password} (shown this once; change it from the account menu).`,
      );
    } catch {
      // Another instance created the first account at the same moment: it prints the password.
    }
  } else {
    lines.push(
      env.LLMOPS_ADMIN_EMAIL
        ? `Sign in as ${env.LLMOPS_ADMIN_EMAIL} (or another account).`
        : `Sign in with an existing account (the first admin, ${DEFAULT_ADMIN_EMAIL} unless LLMOPS_ADMIN_EMAIL was set, had its password printed at first start).`,
    );
  }
  return lines;
}

async function ensureAdminKey(db: Db, secret: string): Promise<void> {
  const [found] = await db
    .select()
    .from(apiKeys)
    .where(eq(apiKeys.secretHash, digest(secret)));
  if (found && found.revokedAt === null && found.role === "admin" && found.userId === null) return;
  if (found) {
    // The setting says this key must work: an earlier revocation or another role is undone.
    await db
      .update(apiKeys)
      .set({ revokedAt: null, role: "admin", scope: null, userId: null, expiresAt: null })
      .where(eq(apiKeys.id, found.id));
    clearKeyCache();
    await appendAudit(db, SETUP, META, { action: "auth.key_restored", target: { kind: "api_key", id: found.id } });
    return;
  }
  try {
    const { row } = await createKey(db, {
      name: "LLMOPS_ADMIN_API_KEY",
      userId: null,
      role: "admin",
      scope: null,
      createdBy: SETUP.name,
      secret,
    });
    await appendAudit(db, SETUP, META, { action: "auth.key_created", target: { kind: "api_key", id: row.id } });
  } catch {
    // Created by another instance at the same moment (unique secret hash).
  }
}
