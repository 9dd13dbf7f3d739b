import { z } from "zod";
import { evaluateGate } from "@/lib/evaluations/gate.server";
import { gateVerdict } from "@/lib/evaluations/gate-schemas";
import { loadConfigFile } from "@/lib/gateway/runtime.server";
import { route } from "@/lib/http/route";
import { segment } from "@/lib/http/params";
import { refuseOtherMethods } from "@/lib/http/methods";

export const dynamic = "force-dynamic";

/** GET `?alias=&version=`: what the promotion gate would say of that move, with its evidence. */
export const GET = route({
  access: "read",
  params: z.object({ name: segment }),
  query: z.object({ alias: z.string().min(1).max(255), version: z.coerce.number().int().positive() }),
  response: gateVerdict,
  handler: async ({ params, query, ctx }) =>
    evaluateGate(ctx.stores.postgres.db, await loadConfigFile().catch(() => undefined), {
      name: params.name,
      alias: query.alias,
      version: query.version,
    }),
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = refuseOtherMethods({ GET });
