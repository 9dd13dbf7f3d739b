import { inferenceIdParam } from "@/lib/analytics/inference-query";
import { getInferenceOrThrow } from "@/lib/analytics/inferences.server";
import { inferenceDetailSchema } from "@/lib/analytics/schemas";
import { pathParam } from "@/lib/http/params";
import { route } from "@/lib/http/route";
import { refuseOtherMethods } from "@/lib/http/methods";

export const dynamic = "force-dynamic";

/** One inference: input, output, model calls, feedback, its episode. */
export const GET = route({
  access: "read",
  response: inferenceDetailSchema,
  handler: async ({ params, ctx }) => getInferenceOrThrow(ctx.stores.clickhouse.client, inferenceIdParam.parse(pathParam(params, "id"))),
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = refuseOtherMethods({ GET });
