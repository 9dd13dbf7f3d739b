import { z } from "zod";
import { deletePolicy, listPolicies, upsertPolicy } from "@/lib/evaluations/gate.server";
import { gatePolicy, gatePolicyInput } from "@/lib/evaluations/gate-schemas";
import { route } from "@/lib/http/route";
import { refuseOtherMethods } from "@/lib/http/methods";

export const dynamic = "force-dynamic";

export const GET = route({
  access: "read",
  response: z.object({ policies: z.array(gatePolicy) }),
  handler: async ({ ctx }) => ({ policies: await listPolicies(ctx.stores.postgres.db) }),
});

/** Creates or replaces the policy of (target, alias). */
export const POST = route({
  access: "edit",
  body: gatePolicyInput,
  response: gatePolicy,
  handler: async ({ body, ctx }) => {
    const db = ctx.stores.postgres.db;
    // The few policies there are, read once so the audit log shows what a replacement replaced.
    const before = (await listPolicies(db)).find(
      (p) => p.targetKind === body.target_kind && p.targetName === body.target_name && p.alias === body.alias,
    );
    const saved = await upsertPolicy(db, body);
    await ctx.audit.record({
      action: before ? "evaluations.policy_replaced" : "evaluations.policy_created",
      target: { kind: "gate_policy", id: saved.id },
      before: before ?? null,
      after: saved,
    });
    return saved;
  },
});

export const DELETE = route({
  access: "edit",
  query: z.object({ id: z.string().uuid() }),
  response: z.object({ deleted: z.string() }),
  handler: async ({ query, ctx }) => {
    const deleted = await deletePolicy(ctx.stores.postgres.db, query.id);
    await ctx.audit.record({
      action: "evaluations.policy_deleted",
      target: { kind: "gate_policy", id: query.id },
      before: deleted,
      after: null,
    });
    return { deleted: query.id };
  },
});

export const { PUT, PATCH, OPTIONS } = refuseOtherMethods({ GET, POST, DELETE });
