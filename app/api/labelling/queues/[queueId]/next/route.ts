import { route } from "@/lib/http/route";
import { claimNext } from "@/lib/labelling/claims.server";
import { labellingContext, param, reviewerOf } from "@/lib/labelling/http.server";
import { nextResponse, reviewerInput } from "@/lib/labelling/schemas";

export const dynamic = "force-dynamic";

/** The reviewer's current item: the one they hold, or a newly claimed one; `item: null` when done. */
export const POST = route({
  body: reviewerInput,
  response: nextResponse,
  handler: async ({ req, body, params }) =>
    claimNext(await labellingContext(), { queueId: param(params, "queueId"), reviewer: reviewerOf(req, body.reviewer) }),
});
