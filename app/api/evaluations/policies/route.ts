import { z } from "zod";
import { evaluationsContext } from "@/lib/evaluations/http.server";
import { deletePolicy, listPolicies, upsertPolicy } from "@/lib/evaluations/gate.server";
import { gatePolicy, gatePolicyInput } from "@/lib/evaluations/gate-schemas";
import { route } from "@/lib/http/route";
import { refuseOtherMethods } from "@/lib/http/methods";

export const dynamic = "force-dynamic";

export const GET = route({
  access: "read",
  response: z.object({ policies: z.array(gatePolicy) }),
  handler: async () => ({ policies: await listPolicies((await evaluationsContext()).db) }),
});

/** Creates or replaces the policy of (target, alias). */
export const POST = route({
  access: "edit",
  body: gatePolicyInput,
  response: gatePolicy,
  handler: async ({ body }) => upsertPolicy((await evaluationsContext()).db, body),
});

export const DELETE = route({
  access: "edit",
  query: z.object({ id: z.string().uuid() }),
  response: z.object({ deleted: z.string() }),
  handler: async ({ query }) => {
    await deletePolicy((await evaluationsContext()).db, query.id);
    return { deleted: query.id };
  },
});

export const { PUT, PATCH, OPTIONS } = refuseOtherMethods({ GET, POST, DELETE });
