import { listRegistry } from "@/lib/registry/dashboard.server";
import { createRegistered } from "@/lib/registry/editor.server";
import { createRegisteredBody, registeredChangeReply, registryListReply, registryListState } from "@/lib/registry/dashboard-schemas";
import { trackingContextOf } from "@/lib/tracking/context";
import { route } from "@/lib/http/route";
import { refuseOtherMethods } from "@/lib/http/methods";

export const dynamic = "force-dynamic";

/** `?kind=prompts|models&q=`: registered prompts or models for the registry page. */
export const GET = route({
  access: "read",
  query: registryListState,
  response: registryListReply,
  handler: async ({ query, ctx }) => listRegistry(trackingContextOf(ctx), query),
});

/** `{kind, name, description?, template?}`: a new registered model or prompt (a prompt's first version from `template`). */
export const POST = route({
  access: "edit",
  body: createRegisteredBody,
  response: registeredChangeReply,
  handler: async ({ body, ctx }) => {
    const created = await createRegistered(trackingContextOf(ctx), body);
    await ctx.audit.record({
      action: "registry.created",
      target: { kind: "registered_model", id: created.name },
      after: { ...created, first_version: body.kind === "prompts" && body.template ? 1 : null },
    });
    return created;
  },
});

export const { PUT, PATCH, DELETE, OPTIONS } = refuseOtherMethods({ GET, POST });
