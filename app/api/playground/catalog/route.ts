import { getGateway } from "@/lib/gateway/runtime.server";
import { playgroundCatalog } from "@/lib/playground/service.server";
import { catalogReply } from "@/lib/playground/schemas";
import { route } from "@/lib/http/route";
import { refuseOtherMethods } from "@/lib/http/methods";

export const dynamic = "force-dynamic";

/** The functions and variants the playground can run, with each variant's model, prompt, variables and parameters. */
export const GET = route({
  access: "read",
  response: catalogReply,
  handler: async ({ ctx }) => playgroundCatalog(ctx.stores.postgres.db, (await getGateway()).config),
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = refuseOtherMethods({ GET });
