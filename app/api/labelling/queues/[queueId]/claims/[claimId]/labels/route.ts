import { route } from "@/lib/http/route";
import { submitLabels } from "@/lib/labelling/claims.server";
import { labellingContext, numericParam, param, reviewerOf } from "@/lib/labelling/http.server";
import { nextResponse, submitLabelsInput } from "@/lib/labelling/schemas";

export const dynamic = "force-dynamic";

/** Saves the labels of a claim (written as human feedback) and answers with the next item. */
export const POST = route({
  body: submitLabelsInput,
  response: nextResponse,
  handler: async ({ req, body, params }) =>
    submitLabels(await labellingContext(), {
      queueId: param(params, "queueId"),
      claimId: numericParam(params, "claimId"),
      reviewer: reviewerOf(req, body.reviewer),
      values: body.values,
    }),
});
