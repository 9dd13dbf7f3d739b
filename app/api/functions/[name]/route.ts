import { z } from "zod";
import { segment } from "@/lib/http/params";
import { route } from "@/lib/http/route";
import { rangeFromQuery, rangeQuery, tagFilters } from "@/lib/analytics/range";
import { functionReportSchema } from "@/lib/analytics/schemas";
import { getFunctionReport } from "@/lib/analytics/service.server";
import { refuseOtherMethods } from "@/lib/http/methods";

export const dynamic = "force-dynamic";

/**
 * One function's variants over the range: summary and time series of traffic, latency, TTFT,
 * tokens, cost, errors, cache hits and feedback metrics. `tag=key:value` (repeatable) filters by
 * inference tags, read from the raw log (rollups carry no tags).
 */
export const GET = route({
  access: "read",
  params: z.object({ name: segment }),
  query: rangeQuery,
  response: functionReportSchema,
  handler: async ({ req, query, params, ctx }) => {
    const tags = tagFilters.parse(req.nextUrl.searchParams.getAll("tag"));
    return getFunctionReport(ctx.stores.clickhouse.client, {
      name: params.name,
      range: rangeFromQuery(query),
      tags,
    });
  },
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = refuseOtherMethods({ GET });
