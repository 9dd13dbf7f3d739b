import { z } from "zod";
import { trackingContext } from "@/lib/experiments/context.server";
import { checkAliasMove } from "@/lib/evaluations/gated-alias.server";
import { requireOverrideReason } from "@/lib/evaluations/gate.server";
import { gateVerdict } from "@/lib/evaluations/gate-schemas";
import { moveAlias, removeAlias } from "@/lib/registry/dashboard.server";
import { aliasMoveBody } from "@/lib/registry/dashboard-schemas";
import { pathParam } from "@/lib/http/params";
import { route } from "@/lib/http/route";
import { refuseOtherMethods } from "@/lib/http/methods";

export const dynamic = "force-dynamic";

const reply = z.object({ aliases: z.array(z.object({ alias: z.string(), version: z.number() })) });

/**
 * POST `{alias, version}`: points the alias at the version (moving it), MLflow's alias rules apply,
 * after the promotion gate (403 naming the failed condition; `override: true` with a `reason` moves anyway).
 */
export const POST = route({
  access: "edit",
  body: aliasMoveBody.extend({ override: z.boolean().optional(), reason: z.string().max(2000).optional() }),
  response: reply.extend({ gate: gateVerdict }),
  handler: async ({ params, body }) => {
    const ctx = await trackingContext();
    const name = pathParam(params, "name");
    const gate = await checkAliasMove(ctx.db, {
      name,
      alias: body.alias,
      version: body.version,
      surface: "dashboard",
      override: requireOverrideReason(body),
    });
    return { ...(await moveAlias(ctx, name, body.alias, body.version)), gate };
  },
});

/** DELETE `?alias=`: removes the alias. */
export const DELETE = route({
  access: "edit",
  query: z.object({ alias: z.string().min(1).max(255) }),
  response: reply,
  handler: async ({ params, query }) => removeAlias(await trackingContext(), pathParam(params, "name"), query.alias),
});

export const { GET, PUT, PATCH, OPTIONS } = refuseOtherMethods({ POST, DELETE });
