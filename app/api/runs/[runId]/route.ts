import { trackingContext } from "@/lib/experiments/context.server";
import { loadRunDetail } from "@/lib/experiments/run-detail.server";
import { runDetailReply } from "@/lib/experiments/schemas";
import { pathParam } from "@/lib/http/params";
import { route } from "@/lib/http/route";
import { refuseOtherMethods } from "@/lib/http/methods";

export const dynamic = "force-dynamic";

/** A run with its parent, children, dataset inputs, latest metrics and registered versions. */
export const GET = route({
  response: runDetailReply,
  handler: async ({ params }) => loadRunDetail(await trackingContext(), pathParam(params, "runId")),
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = refuseOtherMethods({ GET });
