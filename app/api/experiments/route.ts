import { listExperimentSummaries } from "@/lib/experiments/loaders.server";
import { experimentsReply, experimentsState } from "@/lib/experiments/schemas";
import { createExperimentBody, experimentChangeReply } from "@/lib/experiments/edit-schemas";
import { createExperimentFromUi } from "@/lib/experiments/edit.server";
import { trackingContextOf } from "@/lib/tracking/context";
import { route } from "@/lib/http/route";
import { refuseOtherMethods } from "@/lib/http/methods";

export const dynamic = "force-dynamic";

/** Experiments with their run counts and last activity, for the experiments list. */
export const GET = route({
  access: "read",
  query: experimentsState,
  response: experimentsReply,
  handler: async ({ query, ctx }) => listExperimentSummaries(trackingContextOf(ctx), query),
});

/** `{name, note?}`: a new experiment. */
export const POST = route({
  access: "edit",
  body: createExperimentBody,
  response: experimentChangeReply,
  handler: async ({ body, ctx }) => {
    const created = await createExperimentFromUi(trackingContextOf(ctx), body);
    await ctx.audit.record({
      action: "tracking.experiment_created",
      target: { kind: "experiment", id: created.experimentId },
      after: created,
    });
    return created;
  },
});

export const { PUT, PATCH, DELETE, OPTIONS } = refuseOtherMethods({ GET, POST });
