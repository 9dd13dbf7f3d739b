import { z } from "zod";
import { route } from "@/lib/http/route";
import { claimNext } from "@/lib/labelling/claims.server";
import { labellingContextOf, reviewerOf } from "@/lib/labelling/http.server";
import { segment } from "@/lib/http/params";
import { nextResponse, reviewerInput } from "@/lib/labelling/schemas";
import { refuseOtherMethods } from "@/lib/http/methods";

export const dynamic = "force-dynamic";

/** The reviewer's current item: the one they hold, or a newly claimed one; `item: null` when done. */
export const POST = route({
  access: "label",
  params: z.object({ queueId: segment }),
  body: reviewerInput,
  response: nextResponse,
  handler: async ({ req, body, params, ctx }) =>
    claimNext(labellingContextOf(ctx), { queueId: params.queueId, reviewer: reviewerOf(req, ctx.caller, body.reviewer) }),
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = refuseOtherMethods({ POST });
