import { z } from "zod";
import { route } from "@/lib/http/route";
import { previousItem } from "@/lib/labelling/claims.server";
import { labellingContext, reviewerOf } from "@/lib/labelling/http.server";
import { pathParam } from "@/lib/http/params";
import { backInput, reviewItem } from "@/lib/labelling/schemas";
import { refuseOtherMethods } from "@/lib/http/methods";

export const dynamic = "force-dynamic";

/** The reviewer's labelled item before claim `before` (or their latest), with the labels they gave. */
export const POST = route({
  body: backInput,
  response: z.object({ item: reviewItem.nullable() }),
  handler: async ({ req, body, params }) => ({
    item: await previousItem(await labellingContext(), {
      queueId: pathParam(params, "queueId"),
      reviewer: reviewerOf(req, body.reviewer),
      beforeClaimId: body.before,
    }),
  }),
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = refuseOtherMethods({ POST });
