import { z } from "zod";
import { checkAccess } from "@/lib/auth/context.server";
import { checkAliasMove } from "@/lib/evaluations/gated-alias.server";
import { requireOverrideReason } from "@/lib/evaluations/gate.server";
import { gateVerdict } from "@/lib/evaluations/gate-schemas";
import { aliasesOf, moveAlias, removeAlias } from "@/lib/registry/dashboard.server";
import { aliasMoveBody } from "@/lib/registry/dashboard-schemas";
import { trackingContextOf } from "@/lib/tracking/context";
import { segment } from "@/lib/http/params";
import { route } from "@/lib/http/route";
import { refuseOtherMethods } from "@/lib/http/methods";

export const dynamic = "force-dynamic";

const reply = z.object({ aliases: z.array(z.object({ alias: z.string(), version: z.number() })) });

/**
 * POST `{alias, version}`: points the alias at the version (moving it), MLflow's alias rules apply,
 * after the promotion gate (403 naming the failed condition; `override: true` with a `reason` moves
 * anyway, for an admin only; the reason and who gave it are kept with the decision and in the audit log).
 */
export const POST = route({
  access: "edit",
  params: z.object({ name: segment }),
  body: aliasMoveBody.extend({ override: z.boolean().optional(), reason: z.string().max(2000).optional() }),
  response: reply.extend({ gate: gateVerdict }),
  handler: async ({ params, body, ctx: request }) => {
    const ctx = trackingContextOf(request);
    const { name } = params;
    const override = requireOverrideReason(body);
    if (override) checkAccess(request.caller, "admin");
    const gate = await checkAliasMove(ctx.db, {
      name,
      alias: body.alias,
      version: body.version,
      surface: "dashboard",
      override: override && { ...override, actor: request.caller.name },
    });
    const before = await aliasesOf(ctx, name);
    const moved = await moveAlias(ctx, name, body.alias, body.version);
    await request.audit.record({
      action: "registry.alias_set",
      target: { kind: "registered_model", id: name },
      before: { aliases: before },
      after: { aliases: moved.aliases, gate: { verdict: gate.verdict, message: gate.message, override: override?.reason ?? null } },
    });
    return { ...moved, gate };
  },
});

/** DELETE `?alias=`: removes the alias. */
export const DELETE = route({
  access: "edit",
  params: z.object({ name: segment }),
  query: z.object({ alias: z.string().min(1).max(255) }),
  response: reply,
  handler: async ({ params, query, ctx: request }) => {
    const ctx = trackingContextOf(request);
    const { name } = params;
    const before = await aliasesOf(ctx, name);
    const removed = await removeAlias(ctx, name, query.alias);
    await request.audit.record({
      action: "registry.alias_deleted",
      target: { kind: "registered_model", id: name },
      before: { aliases: before },
      after: removed,
    });
    return removed;
  },
});

export const { GET, PUT, PATCH, OPTIONS } = refuseOtherMethods({ POST, DELETE });
