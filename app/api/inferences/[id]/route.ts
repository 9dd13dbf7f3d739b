import { inferenceIdParam } from "@/lib/analytics/inference-query";
import { segment } from "@/lib/analytics/params";
import { getInferenceOrThrow } from "@/lib/analytics/inferences.server";
import { inferenceDetailSchema } from "@/lib/analytics/schemas";
import { route } from "@/lib/http/route";
import { getStores } from "@/lib/stores/index.server";

export const dynamic = "force-dynamic";

/** One inference: input, output, model calls, feedback, its episode. */
export const GET = route({
  response: inferenceDetailSchema,
  handler: async ({ params }) => getInferenceOrThrow((await getStores()).clickhouse.client, inferenceIdParam.parse(segment(params.id))),
});
