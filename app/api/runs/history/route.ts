import { trackingContextOf } from "@/lib/tracking/context";
import { loadHistory } from "@/lib/experiments/run-detail.server";
import { historyQuery, historyReply } from "@/lib/experiments/schemas";
import { route } from "@/lib/http/route";
import { refuseOtherMethods } from "@/lib/http/methods";

export const dynamic = "force-dynamic";

/** `?runs=a,b&keys=loss,acc&x=step|time`: metric histories reduced to min/max buckets in ClickHouse. */
export const GET = route({
  access: "read",
  query: historyQuery,
  response: historyReply,
  handler: async ({ query, ctx }) => loadHistory(trackingContextOf(ctx), query),
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = refuseOtherMethods({ GET });
