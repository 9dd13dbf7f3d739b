import { z } from "zod";
import { getGateway } from "@/lib/gateway/runtime.server";
import { NotFoundError } from "@/lib/http/errors";
import { refuseOtherMethods } from "@/lib/http/methods";
import { segment } from "@/lib/http/params";
import { route } from "@/lib/http/route";
import { runtimeStatusSchema } from "@/lib/runtime-evaluation/schemas";
import { runtimeStatus } from "@/lib/runtime-evaluation/status.server";

export const dynamic = "force-dynamic";

/** A function's runtime evaluation: configured and applied sampling rate, backlog, scores done, judge calls and their cost. */
export const GET = route({
  access: "read",
  params: z.object({ name: segment }),
  response: runtimeStatusSchema,
  handler: async ({ params, ctx }) => {
    const { name } = params;
    const status = await runtimeStatus(ctx.stores.postgres.db, (await getGateway()).config, name);
    if (!status) throw new NotFoundError(`Function "${name}" has no runtime evaluation ([functions.${name}.runtime_evaluation])`);
    return status;
  },
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = refuseOtherMethods({ GET });
