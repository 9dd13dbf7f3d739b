import { trackingContext } from "@/lib/experiments/context.server";
import { listRegistry } from "@/lib/registry/dashboard.server";
import { createRegistered } from "@/lib/registry/editor.server";
import { createRegisteredBody, registeredChangeReply, registryListReply, registryListState } from "@/lib/registry/dashboard-schemas";
import { route } from "@/lib/http/route";
import { refuseOtherMethods } from "@/lib/http/methods";

export const dynamic = "force-dynamic";

/** `?kind=prompts|models&q=`: registered prompts or models for the registry page. */
export const GET = route({
  access: "read",
  query: registryListState,
  response: registryListReply,
  handler: async ({ query }) => listRegistry(await trackingContext(), query),
});

/** `{kind, name, description?, template?}`: a new registered model or prompt (a prompt's first version from `template`). */
export const POST = route({
  access: "edit",
  body: createRegisteredBody,
  response: registeredChangeReply,
  handler: async ({ body }) => createRegistered(await trackingContext(), body),
});

export const { PUT, PATCH, DELETE, OPTIONS } = refuseOtherMethods({ GET, POST });
