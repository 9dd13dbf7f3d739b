import { trackingContext } from "@/lib/experiments/context.server";
import { entityPatch, experimentChangeReply } from "@/lib/experiments/edit-schemas";
import { editExperiment } from "@/lib/experiments/edit.server";
import { pathParam } from "@/lib/http/params";
import { route } from "@/lib/http/route";
import { refuseOtherMethods } from "@/lib/http/methods";

export const dynamic = "force-dynamic";

/** `{name?, deleted?, note?, setTags?, deleteTags?}`: renames, deletes or restores, annotates and tags an experiment. */
export const PATCH = route({
  access: "edit",
  body: entityPatch,
  response: experimentChangeReply,
  handler: async ({ params, body }) => editExperiment(await trackingContext(), pathParam(params, "id"), body),
});

export const { GET, POST, PUT, DELETE, OPTIONS } = refuseOtherMethods({ PATCH });
