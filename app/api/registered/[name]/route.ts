import { trackingContext } from "@/lib/experiments/context.server";
import { loadRegistered } from "@/lib/registry/dashboard.server";
import { registeredReply } from "@/lib/registry/dashboard-schemas";
import { pathParam } from "@/lib/http/params";
import { route } from "@/lib/http/route";
import { refuseOtherMethods } from "@/lib/http/methods";

export const dynamic = "force-dynamic";

/** A registered model or prompt with every version, its source run and (prompts) where it is served. */
export const GET = route({
  response: registeredReply,
  handler: async ({ params }) => loadRegistered(await trackingContext(), "models", pathParam(params, "name")),
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = refuseOtherMethods({ GET });
