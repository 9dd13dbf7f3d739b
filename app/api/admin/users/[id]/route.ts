import { z } from "zod";
import { deleteSessionsOf } from "@/lib/auth/sessions.server";
import { ROLES } from "@/lib/auth/roles";
import { publicUser, updateUser } from "@/lib/auth/users.server";
import { refuseOtherMethods } from "@/lib/http/methods";
import { segment } from "@/lib/http/params";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** Changes an account's role or name, disables or enables it, or resets its password. */
export const PATCH = route({
  access: "admin",
  params: z.object({ id: segment }),
  body: z.object({
    role: z.enum(ROLES).optional(),
    name: z.string().trim().max(200).optional(),
    disabled: z.boolean().optional(),
    password: z.string().max(1_000).optional(),
  }),
  handler: async ({ params, body, ctx }) => {
    const db = ctx.stores.postgres.db;
    const { before, after } = await updateUser(db, params.id, body);
    // A disabled account or a reset password ends the account's sessions.
    if (body.disabled || body.password !== undefined) await deleteSessionsOf(db, after.id);
    await ctx.audit.record({
      action: body.password !== undefined ? "auth.password_reset" : "auth.user_updated",
      target: { kind: "user", id: after.email },
      before: publicUser(before),
      after: publicUser(after),
    });
    return { user: publicUser(after) };
  },
});

export const { GET, POST, PUT, DELETE, OPTIONS } = refuseOtherMethods({ PATCH });
