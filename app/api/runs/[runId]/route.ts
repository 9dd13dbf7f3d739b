import { trackingContext } from "@/lib/experiments/context.server";
import { loadRunDetail } from "@/lib/experiments/run-detail.server";
import { runDetailReply } from "@/lib/experiments/schemas";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** A run with its parent, children, dataset inputs, latest metrics and registered versions. */
export const GET = route({
  response: runDetailReply,
  handler: async ({ params }) => loadRunDetail(await trackingContext(), String(params.runId)),
});
