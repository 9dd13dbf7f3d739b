import { route } from "@/lib/http/route";
import { skipClaim } from "@/lib/labelling/claims.server";
import { labellingContext, numericParam, param, reviewerOf } from "@/lib/labelling/http.server";
import { nextResponse, reviewerInput } from "@/lib/labelling/schemas";

export const dynamic = "force-dynamic";

/** Gives the item back unlabelled (this reviewer will not see it again) and answers with the next. */
export const POST = route({
  body: reviewerInput,
  response: nextResponse,
  handler: async ({ req, body, params }) =>
    skipClaim(await labellingContext(), {
      queueId: param(params, "queueId"),
      claimId: numericParam(params, "claimId"),
      reviewer: reviewerOf(req, body.reviewer),
    }),
});
