import { inferenceListQuery } from "@/lib/analytics/inference-query";
import { browseInferences } from "@/lib/analytics/inferences.server";
import { tagFilters } from "@/lib/analytics/range";
import { inferencePageSchema } from "@/lib/analytics/schemas";
import { route } from "@/lib/http/route";
import { refuseOtherMethods } from "@/lib/http/methods";

export const dynamic = "force-dynamic";

/**
 * Inferences newest first, 50 per page, filtered by function, variant, model, status, tags
 * (`tag=key:value`, repeatable), time and latest feedback value (`metric`, `op`, `value`);
 * `cursor` from the previous page's `next`.
 */
export const GET = route({
  access: "read",
  query: inferenceListQuery,
  response: inferencePageSchema,
  handler: async ({ req, query, ctx }) => {
    const tags = tagFilters.parse(req.nextUrl.searchParams.getAll("tag")) ?? [];
    return browseInferences(ctx.stores.clickhouse.client, query, tags);
  },
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = refuseOtherMethods({ GET });
