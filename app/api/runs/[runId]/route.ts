import { z } from "zod";
import { loadRunDetail } from "@/lib/experiments/run-detail.server";
import { runDetailReply } from "@/lib/experiments/schemas";
import { entityPatch, runChangeReply } from "@/lib/experiments/edit-schemas";
import { editRun, editVerb } from "@/lib/experiments/edit.server";
import { trackingContextOf } from "@/lib/tracking/context";
import { segment } from "@/lib/http/params";
import { route } from "@/lib/http/route";
import { refuseOtherMethods } from "@/lib/http/methods";

export const dynamic = "force-dynamic";

/** A run with its parent, children, dataset inputs, latest metrics and registered versions. */
export const GET = route({
  access: "read",
  params: z.object({ runId: segment }),
  response: runDetailReply,
  handler: async ({ params, ctx }) => loadRunDetail(trackingContextOf(ctx), params.runId),
});

/** `{name?, deleted?, note?, setTags?, deleteTags?}`: renames, deletes or restores, annotates and tags a run. */
export const PATCH = route({
  access: "edit",
  params: z.object({ runId: segment }),
  body: entityPatch,
  response: runChangeReply,
  handler: async ({ params, body, ctx }) => {
    const change = await editRun(trackingContextOf(ctx), params.runId, body);
    await ctx.audit.record({
      action: `tracking.run_${editVerb(change)}`,
      target: { kind: "run", id: change.after.runId },
      before: change.before,
      after: { ...change.after, patch: body },
    });
    return change.after;
  },
});

export const { POST, PUT, DELETE, OPTIONS } = refuseOtherMethods({ GET, PATCH });
