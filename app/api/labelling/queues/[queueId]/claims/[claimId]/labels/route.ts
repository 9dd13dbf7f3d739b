import { route } from "@/lib/http/route";
import { submitLabels } from "@/lib/labelling/claims.server";
import { labellingContextOf, reviewerOf } from "@/lib/labelling/http.server";
import { numericPathParam, pathParam } from "@/lib/http/params";
import { nextResponse, submitLabelsInput } from "@/lib/labelling/schemas";
import { refuseOtherMethods } from "@/lib/http/methods";

export const dynamic = "force-dynamic";

/** Saves the labels of a claim (written as human feedback) and answers with the next item. */
export const POST = route({
  access: "label",
  body: submitLabelsInput,
  response: nextResponse,
  handler: async ({ req, body, params, ctx }) =>
    submitLabels(labellingContextOf(ctx), {
      queueId: pathParam(params, "queueId"),
      claimId: numericPathParam(params, "claimId"),
      reviewer: reviewerOf(req, ctx.caller, body.reviewer),
      values: body.values,
    }),
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = refuseOtherMethods({ POST });
