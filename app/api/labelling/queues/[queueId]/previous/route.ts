import { z } from "zod";
import { route } from "@/lib/http/route";
import { previousItem } from "@/lib/labelling/claims.server";
import { labellingContextOf, reviewerOf } from "@/lib/labelling/http.server";
import { segment } from "@/lib/http/params";
import { backInput, reviewItem } from "@/lib/labelling/schemas";
import { refuseOtherMethods } from "@/lib/http/methods";

export const dynamic = "force-dynamic";

/** The reviewer's labelled item before claim `before` (or their latest), with the labels they gave. */
export const POST = route({
  access: "label",
  params: z.object({ queueId: segment }),
  body: backInput,
  response: z.object({ item: reviewItem.nullable() }),
  handler: async ({ req, body, params, ctx }) => ({
    item: await previousItem(labellingContextOf(ctx), {
      queueId: params.queueId,
      reviewer: reviewerOf(req, ctx.caller, body.reviewer),
      beforeClaimId: body.before,
    }),
  }),
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = refuseOtherMethods({ POST });
