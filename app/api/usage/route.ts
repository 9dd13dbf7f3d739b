import { z } from "zod";
import { getUsage } from "@/lib/analytics/usage.server";
import { rangeFromQuery, withRange } from "@/lib/analytics/range";
import { USAGE_DIMENSIONS, usageReply } from "@/lib/analytics/usage";
import { getGateway } from "@/lib/gateway/runtime.server";
import { route } from "@/lib/http/route";
import { refuseOtherMethods } from "@/lib/http/methods";

export const dynamic = "force-dynamic";

/** `?by=model|function|variant|day&range=…` (or from/to): tokens, requests, cost, cache savings and errors. */
export const GET = route({
  access: "read",
  query: withRange({ by: z.enum(USAGE_DIMENSIONS).default("model") }),
  response: usageReply,
  handler: async ({ query, ctx }) => getUsage(ctx.stores.clickhouse.client, (await getGateway()).config, rangeFromQuery(query), query.by),
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = refuseOtherMethods({ GET });
