import { artifactsQuery, artifactsReply } from "@/lib/experiments/artifacts";
import { loadArtifacts } from "@/lib/experiments/artifacts.server";
import { trackingContext } from "@/lib/experiments/context.server";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** One folder of a run's artifacts (`root=run`) or of a model it logged (`root=<model_id>`), and the roots it has. */
export const GET = route({
  query: artifactsQuery,
  response: artifactsReply,
  handler: async ({ params, query }) => loadArtifacts(await trackingContext(), String(params.runId), query),
});
