import { z } from "zod";
import { AuthError } from "@/lib/auth/errors";
import { keyById, publicKey, revokeKey } from "@/lib/auth/keys.server";
import { refuseOtherMethods } from "@/lib/http/methods";
import { segment } from "@/lib/http/params";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** Revokes a key (its owner or an admin). It stops working at once here, within seconds everywhere. */
export const DELETE = route({
  access: "signed-in",
  params: z.object({ id: segment }),
  handler: async ({ params, ctx }) => {
    const db = ctx.stores.postgres.db;
    const { id } = params;
    const found = await keyById(db, id);
    if (!ctx.caller.permissions.has("admin") && (found.userId === null || found.userId !== ctx.caller.userId)) {
      throw new AuthError("forbidden", "Only the key's owner or an admin may revoke it");
    }
    const { before, after } = await revokeKey(db, id);
    await ctx.audit.record({
      action: "auth.key_revoked",
      target: { kind: "api_key", id },
      before: publicKey(before),
      after: publicKey(after),
    });
    return { key: publicKey(after) };
  },
});

export const { GET, POST, PUT, PATCH, OPTIONS } = refuseOtherMethods({ DELETE });
