import { route } from "@/lib/http/route";
import { rangeFromQuery, rangeQuery } from "@/lib/analytics/range";
import { functionListSchema } from "@/lib/analytics/schemas";
import { getFunctionList } from "@/lib/analytics/service.server";
import { refuseOtherMethods } from "@/lib/http/methods";

export const dynamic = "force-dynamic";

/** Functions with traffic in the range (`range=24h`, or `from`/`to`), with headline numbers. */
export const GET = route({
  access: "read",
  query: rangeQuery,
  response: functionListSchema,
  handler: async ({ query, ctx }) => getFunctionList(ctx.stores.clickhouse.client, rangeFromQuery(query)),
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = refuseOtherMethods({ GET });
