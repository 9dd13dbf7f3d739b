import { z } from "zod";
import { inferenceIdParam } from "@/lib/analytics/inference-query";
import { getInferenceOrThrow } from "@/lib/analytics/inferences.server";
import { inferenceDetailSchema } from "@/lib/analytics/schemas";
import { segment } from "@/lib/http/params";
import { route } from "@/lib/http/route";
import { refuseOtherMethods } from "@/lib/http/methods";

export const dynamic = "force-dynamic";

/** One inference: input, output, model calls, feedback, its episode. */
export const GET = route({
  access: "read",
  params: z.object({ id: segment }),
  response: inferenceDetailSchema,
  handler: async ({ params, ctx }) => getInferenceOrThrow(ctx.stores.clickhouse.client, inferenceIdParam.parse(params.id)),
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = refuseOtherMethods({ GET });
