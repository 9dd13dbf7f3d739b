import { trackingContext } from "@/lib/experiments/context.server";
import { listRegistry } from "@/lib/registry/dashboard.server";
import { registryListReply, registryListState } from "@/lib/registry/dashboard-schemas";
import { route } from "@/lib/http/route";
import { refuseOtherMethods } from "@/lib/http/methods";

export const dynamic = "force-dynamic";

/** `?kind=prompts|models&q=`: registered prompts or models for the registry page. */
export const GET = route({
  query: registryListState,
  response: registryListReply,
  handler: async ({ query }) => listRegistry(await trackingContext(), query),
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = refuseOtherMethods({ GET });
