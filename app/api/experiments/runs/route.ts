import { trackingContextOf } from "@/lib/tracking/context";
import { listRunsPage } from "@/lib/experiments/loaders.server";
import { runsQuery, runsReply } from "@/lib/experiments/schemas";
import { route } from "@/lib/http/route";
import { refuseOtherMethods } from "@/lib/http/methods";

export const dynamic = "force-dynamic";

/** One page of the runs table: `exp=1,2&filter=<MLflow DSL>&sort=metric:acc&dir=desc&page=1&size=50`. */
export const GET = route({
  access: "read",
  query: runsQuery,
  response: runsReply,
  handler: async ({ query, ctx }) => listRunsPage(trackingContextOf(ctx), { ...query, experimentIds: query.exp }),
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = refuseOtherMethods({ GET });
