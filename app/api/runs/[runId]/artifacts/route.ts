import { z } from "zod";
import { artifactsQuery, artifactsReply } from "@/lib/experiments/artifacts";
import { loadArtifacts } from "@/lib/experiments/artifacts.server";
import { trackingContextOf } from "@/lib/tracking/context";
import { segment } from "@/lib/http/params";
import { route } from "@/lib/http/route";
import { refuseOtherMethods } from "@/lib/http/methods";

export const dynamic = "force-dynamic";

/** One folder of a run's artifacts (`root=run`) or of a model it logged (`root=<model_id>`), and the roots it has. */
export const GET = route({
  access: "read",
  params: z.object({ runId: segment }),
  query: artifactsQuery,
  response: artifactsReply,
  handler: async ({ params, query, ctx }) => loadArtifacts(trackingContextOf(ctx), params.runId, query),
});
export const { POST, PUT, PATCH, DELETE, OPTIONS } = refuseOtherMethods({ GET });
