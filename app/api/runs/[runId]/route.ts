import { trackingContext } from "@/lib/experiments/context.server";
import { loadRunDetail } from "@/lib/experiments/run-detail.server";
import { runDetailReply } from "@/lib/experiments/schemas";
import { entityPatch, runChangeReply } from "@/lib/experiments/edit-schemas";
import { editRun } from "@/lib/experiments/edit.server";
import { pathParam } from "@/lib/http/params";
import { route } from "@/lib/http/route";
import { refuseOtherMethods } from "@/lib/http/methods";

export const dynamic = "force-dynamic";

/** A run with its parent, children, dataset inputs, latest metrics and registered versions. */
export const GET = route({
  access: "read",
  response: runDetailReply,
  handler: async ({ params }) => loadRunDetail(await trackingContext(), pathParam(params, "runId")),
});

/** `{name?, deleted?, note?, setTags?, deleteTags?}`: renames, deletes or restores, annotates and tags a run. */
export const PATCH = route({
  access: "edit",
  body: entityPatch,
  response: runChangeReply,
  handler: async ({ params, body }) => editRun(await trackingContext(), pathParam(params, "runId"), body),
});

export const { POST, PUT, DELETE, OPTIONS } = refuseOtherMethods({ GET, PATCH });
