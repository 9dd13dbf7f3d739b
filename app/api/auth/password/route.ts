import { z } from "zod";
import { AuthError } from "@/lib/auth/errors";
import { verifyPassword } from "@/lib/auth/secrets.server";
import { deleteSessionsOf } from "@/lib/auth/sessions.server";
import { updateUser, userById } from "@/lib/auth/users.server";
import { BadRequestError } from "@/lib/http/errors";
import { refuseOtherMethods } from "@/lib/http/methods";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** Changes the signed-in account's password; every other session of the account ends. */
export const POST = route({
  access: "signed-in",
  body: z.object({ current_password: z.string().min(1).max(1_000), new_password: z.string().min(1).max(1_000) }),
  handler: async ({ body, ctx }) => {
    const db = ctx.stores.postgres.db;
    if (!ctx.caller.userId || ctx.caller.via !== "session") throw new BadRequestError("Sign in with your password to change it");
    const user = await userById(db, ctx.caller.userId);
    if (!user.passwordHash || !(await verifyPassword(user.passwordHash, body.current_password))) {
      throw new AuthError("forbidden", "The current password is wrong");
    }
    await updateUser(db, user.id, { password: body.new_password });
    await deleteSessionsOf(db, user.id, ctx.caller.sessionHash ?? undefined);
    await ctx.audit.record({ action: "auth.password_changed", target: { kind: "user", id: user.email } });
    return { ok: true };
  },
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = refuseOtherMethods({ POST });
