import { inferenceListQuery } from "@/lib/analytics/inference-query";
import { getInferenceFacets } from "@/lib/analytics/inferences.server";
import { inferenceFacetsSchema } from "@/lib/analytics/schemas";
import { route } from "@/lib/http/route";
import { refuseOtherMethods } from "@/lib/http/methods";

export const dynamic = "force-dynamic";

/** Functions, variants, models and metrics seen in the range: the browser's filter menus. */
export const GET = route({
  access: "read",
  query: inferenceListQuery,
  response: inferenceFacetsSchema,
  handler: async ({ query, ctx }) => getInferenceFacets(ctx.stores.clickhouse.client, query),
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = refuseOtherMethods({ GET });
