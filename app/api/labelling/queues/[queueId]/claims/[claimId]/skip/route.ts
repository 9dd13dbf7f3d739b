import { z } from "zod";
import { route } from "@/lib/http/route";
import { skipClaim } from "@/lib/labelling/claims.server";
import { labellingContextOf, reviewerOf } from "@/lib/labelling/http.server";
import { segment, wholeNumberSegment } from "@/lib/http/params";
import { nextResponse, reviewerInput } from "@/lib/labelling/schemas";
import { refuseOtherMethods } from "@/lib/http/methods";

export const dynamic = "force-dynamic";

/** Gives the item back unlabelled (this reviewer will not see it again) and answers with the next. */
export const POST = route({
  access: "label",
  params: z.object({ queueId: segment, claimId: wholeNumberSegment }),
  body: reviewerInput,
  response: nextResponse,
  handler: async ({ req, body, params, ctx }) =>
    skipClaim(labellingContextOf(ctx), {
      queueId: params.queueId,
      claimId: params.claimId,
      reviewer: reviewerOf(req, ctx.caller, body.reviewer),
    }),
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = refuseOtherMethods({ POST });
