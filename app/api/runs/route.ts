import { trackingContext } from "@/lib/experiments/context.server";
import { createRunBody, runChangeReply } from "@/lib/experiments/edit-schemas";
import { createRunFromUi } from "@/lib/experiments/edit.server";
import { route } from "@/lib/http/route";
import { refuseOtherMethods } from "@/lib/http/methods";

export const dynamic = "force-dynamic";

/** `{experimentId, name?, note?}`: a new run (MLflow names it when no name is given). */
export const POST = route({
  access: "edit",
  body: createRunBody,
  response: runChangeReply,
  handler: async ({ body }) => createRunFromUi(await trackingContext(), body),
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = refuseOtherMethods({ POST });
