import { z } from "zod";
import { route } from "@/lib/http/route";
import { submitLabels } from "@/lib/labelling/claims.server";
import { labellingContextOf, reviewerOf } from "@/lib/labelling/http.server";
import { segment, wholeNumberSegment } from "@/lib/http/params";
import { nextResponse, submitLabelsInput } from "@/lib/labelling/schemas";
import { refuseOtherMethods } from "@/lib/http/methods";

export const dynamic = "force-dynamic";

/** Saves the labels of a claim (written as human feedback) and answers with the next item. */
export const POST = route({
  access: "label",
  params: z.object({ queueId: segment, claimId: wholeNumberSegment }),
  body: submitLabelsInput,
  response: nextResponse,
  handler: async ({ req, body, params, ctx }) => {
    const { queueId } = params;
    const { saved, ...next } = await submitLabels(labellingContextOf(ctx), {
      queueId,
      claimId: params.claimId,
      reviewer: reviewerOf(req, ctx.caller, body.reviewer),
      values: body.values,
    });
    await ctx.audit.record({
      action: saved.before ? "labelling.labels_edited" : "labelling.labelled",
      target: { kind: "label_claim", id: `${queueId}/${saved.claimId}` },
      before: saved.before ? { labels: saved.before } : null,
      after: { labels: saved.after, inference_id: saved.inferenceId },
    });
    return next;
  },
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = refuseOtherMethods({ POST });
