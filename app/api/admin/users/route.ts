import { z } from "zod";
import { ROLES } from "@/lib/auth/roles";
import { createUser, listUsers, publicUser } from "@/lib/auth/users.server";
import { refuseOtherMethods } from "@/lib/http/methods";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

export const GET = route({
  access: "admin",
  handler: async ({ ctx }) => ({ users: (await listUsers(ctx.stores.postgres.db)).map(publicUser) }),
});

export const POST = route({
  access: "admin",
  body: z.object({
    email: z.email().max(320),
    name: z.string().trim().max(200).optional(),
    role: z.enum(ROLES),
    password: z.string().max(1_000).optional(),
  }),
  handler: async ({ body, ctx }) => {
    const user = publicUser(await createUser(ctx.stores.postgres.db, body));
    await ctx.audit.record({ action: "auth.user_created", target: { kind: "user", id: user.email }, after: user });
    return { user };
  },
});

export const { PUT, PATCH, DELETE, OPTIONS } = refuseOtherMethods({ GET, POST });
