import { z } from "zod";
import { createPromptVersion } from "@/lib/registry/editor.server";
import { newPromptVersionBody, newPromptVersionReply } from "@/lib/registry/dashboard-schemas";
import { trackingContextOf } from "@/lib/tracking/context";
import { segment } from "@/lib/http/params";
import { route } from "@/lib/http/route";
import { refuseOtherMethods } from "@/lib/http/methods";

export const dynamic = "force-dynamic";

/** `{template: {system?, user?} | {text}, message}`: a new prompt version (an unchanged template names the existing one). */
export const POST = route({
  access: "edit",
  params: z.object({ name: segment }),
  body: newPromptVersionBody,
  response: newPromptVersionReply,
  handler: async ({ params, body, ctx }) => {
    const saved = await createPromptVersion(trackingContextOf(ctx), params.name, body.template, body.message);
    // An unchanged template names an existing version: recorded too, as the request was made.
    await ctx.audit.record({
      action: saved.created ? "registry.prompt_version_created" : "registry.prompt_version_reused",
      target: { kind: "prompt_version", id: `${saved.name}/${saved.version}` },
      after: { version: saved.version, message: body.message },
    });
    return saved;
  },
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = refuseOtherMethods({ POST });
