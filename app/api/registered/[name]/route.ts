import { z } from "zod";
import { getGateway } from "@/lib/gateway/runtime.server";
import { loadRegistered } from "@/lib/registry/dashboard.server";
import { deleteRegistered, describeRegistered, variantsServing } from "@/lib/registry/editor.server";
import { registeredChangeReply, registeredReply, updateRegisteredBody } from "@/lib/registry/dashboard-schemas";
import { trackingContextOf } from "@/lib/tracking/context";
import { segment } from "@/lib/http/params";
import { route } from "@/lib/http/route";
import { refuseOtherMethods } from "@/lib/http/methods";

export const dynamic = "force-dynamic";

/** A registered model or prompt with every version, its source run and (prompts) where it is served. */
export const GET = route({
  access: "read",
  params: z.object({ name: segment }),
  response: registeredReply,
  handler: async ({ params, ctx }) => loadRegistered(trackingContextOf(ctx), "models", params.name),
});

/** `{description}`: describes a registered model or prompt. */
export const PATCH = route({
  access: "edit",
  params: z.object({ name: segment }),
  body: updateRegisteredBody,
  response: registeredChangeReply,
  handler: async ({ params, body, ctx }) => describeRegistered(trackingContextOf(ctx), params.name, body.description),
});

/** Deletes it with its versions, tags and aliases (409 while a gateway variant is configured to serve it). */
export const DELETE = route({
  access: "edit",
  params: z.object({ name: segment }),
  response: registeredChangeReply,
  handler: async ({ params, ctx }) => {
    const { name } = params;
    const serving = variantsServing((await getGateway()).config, name);
    const deleted = await deleteRegistered(trackingContextOf(ctx), name, serving);
    await ctx.audit.record({ action: "registry.deleted", target: { kind: "registered_model", id: name }, before: deleted, after: null });
    return deleted;
  },
});

export const { POST, PUT, OPTIONS } = refuseOtherMethods({ GET, PATCH, DELETE });
