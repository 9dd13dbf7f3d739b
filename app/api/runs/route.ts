import { createRunBody, runChangeReply } from "@/lib/experiments/edit-schemas";
import { createRunFromUi } from "@/lib/experiments/edit.server";
import { trackingContextOf } from "@/lib/tracking/context";
import { route } from "@/lib/http/route";
import { refuseOtherMethods } from "@/lib/http/methods";

export const dynamic = "force-dynamic";

/** `{experimentId, name?, note?}`: a new run (MLflow names it when no name is given). */
export const POST = route({
  access: "edit",
  body: createRunBody,
  response: runChangeReply,
  handler: async ({ body, ctx }) => {
    const created = await createRunFromUi(trackingContextOf(ctx), body);
    await ctx.audit.record({ action: "tracking.run_created", target: { kind: "run", id: created.runId }, after: created });
    return created;
  },
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = refuseOtherMethods({ POST });
