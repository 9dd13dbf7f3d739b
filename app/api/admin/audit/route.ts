import { z } from "zod";
import { listAudit } from "@/lib/auth/audit.server";
import { refuseOtherMethods } from "@/lib/http/methods";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

const time = z.iso.datetime({ offset: true }).transform((s) => Date.parse(s));

/** The audit log, newest first, filtered; page with `before` (the last id seen). Admins only. */
export const GET = route({
  access: "admin",
  query: z.object({
    actor: z.string().max(320).optional(),
    action: z.string().max(200).optional(),
    target_kind: z.string().max(100).optional(),
    target_id: z.string().max(1_000).optional(),
    from: time.optional(),
    to: time.optional(),
    before: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  }),
  handler: async ({ query, ctx }) =>
    listAudit(ctx.stores.postgres.db, {
      actor: query.actor,
      action: query.action,
      targetKind: query.target_kind,
      targetId: query.target_id,
      from: query.from,
      to: query.to,
      before: query.before,
      limit: query.limit,
    }),
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = refuseOtherMethods({ GET });
