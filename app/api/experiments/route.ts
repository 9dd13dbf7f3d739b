import { trackingContext } from "@/lib/experiments/context.server";
import { listExperimentSummaries } from "@/lib/experiments/loaders.server";
import { experimentsReply, experimentsState } from "@/lib/experiments/schemas";
import { route } from "@/lib/http/route";
import { refuseOtherMethods } from "@/lib/http/methods";

export const dynamic = "force-dynamic";

/** Experiments with their run counts and last activity, for the experiments list. */
export const GET = route({
  query: experimentsState,
  response: experimentsReply,
  handler: async ({ query }) => listExperimentSummaries(await trackingContext(), query),
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = refuseOtherMethods({ GET });
