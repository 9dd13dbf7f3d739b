import { z } from "zod";
import { entityPatch, experimentChangeReply } from "@/lib/experiments/edit-schemas";
import { editExperiment, editVerb } from "@/lib/experiments/edit.server";
import { trackingContextOf } from "@/lib/tracking/context";
import { segment } from "@/lib/http/params";
import { route } from "@/lib/http/route";
import { refuseOtherMethods } from "@/lib/http/methods";

export const dynamic = "force-dynamic";

/** `{name?, deleted?, note?, setTags?, deleteTags?}`: renames, deletes or restores, annotates and tags an experiment. */
export const PATCH = route({
  access: "edit",
  params: z.object({ id: segment }),
  body: entityPatch,
  response: experimentChangeReply,
  handler: async ({ params, body, ctx }) => {
    const change = await editExperiment(trackingContextOf(ctx), params.id, body);
    await ctx.audit.record({
      action: `tracking.experiment_${editVerb(change)}`,
      target: { kind: "experiment", id: change.after.experimentId },
      before: change.before,
      after: { ...change.after, patch: body },
    });
    return change.after;
  },
});

export const { GET, POST, PUT, DELETE, OPTIONS } = refuseOtherMethods({ PATCH });
