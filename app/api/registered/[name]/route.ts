import { trackingContext } from "@/lib/experiments/context.server";
import { getGateway } from "@/lib/gateway/runtime.server";
import { loadRegistered } from "@/lib/registry/dashboard.server";
import { deleteRegistered, describeRegistered, variantsServing } from "@/lib/registry/editor.server";
import { registeredChangeReply, registeredReply, updateRegisteredBody } from "@/lib/registry/dashboard-schemas";
import { pathParam } from "@/lib/http/params";
import { route } from "@/lib/http/route";
import { refuseOtherMethods } from "@/lib/http/methods";

export const dynamic = "force-dynamic";

/** A registered model or prompt with every version, its source run and (prompts) where it is served. */
export const GET = route({
  access: "read",
  response: registeredReply,
  handler: async ({ params }) => loadRegistered(await trackingContext(), "models", pathParam(params, "name")),
});

/** `{description}`: describes a registered model or prompt. */
export const PATCH = route({
  access: "edit",
  body: updateRegisteredBody,
  response: registeredChangeReply,
  handler: async ({ params, body }) => describeRegistered(await trackingContext(), pathParam(params, "name"), body.description),
});

/** Deletes it with its versions, tags and aliases (409 while a gateway variant is configured to serve it). */
export const DELETE = route({
  access: "edit",
  response: registeredChangeReply,
  handler: async ({ params }) => {
    const name = pathParam(params, "name");
    const serving = variantsServing((await getGateway()).config, name);
    return deleteRegistered(await trackingContext(), name, serving);
  },
});

export const { POST, PUT, OPTIONS } = refuseOtherMethods({ GET, PATCH, DELETE });
