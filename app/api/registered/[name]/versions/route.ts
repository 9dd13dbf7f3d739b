import { trackingContext } from "@/lib/experiments/context.server";
import { createPromptVersion } from "@/lib/registry/editor.server";
import { newPromptVersionBody, newPromptVersionReply } from "@/lib/registry/dashboard-schemas";
import { pathParam } from "@/lib/http/params";
import { route } from "@/lib/http/route";
import { refuseOtherMethods } from "@/lib/http/methods";

export const dynamic = "force-dynamic";

/** `{template: {system?, user?} | {text}, message}`: a new prompt version (an unchanged template names the existing one). */
export const POST = route({
  access: "edit",
  body: newPromptVersionBody,
  response: newPromptVersionReply,
  handler: async ({ params, body }) => createPromptVersion(await trackingContext(), pathParam(params, "name"), body.template, body.message),
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = refuseOtherMethods({ POST });
