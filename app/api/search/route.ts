import { findEverywhere } from "@/lib/find/service.server";
import { findQuery, findReply } from "@/lib/find/schemas";
import { getGateway } from "@/lib/gateway/runtime.server";
import { route } from "@/lib/http/route";
import { refuseOtherMethods } from "@/lib/http/methods";

export const dynamic = "force-dynamic";

/**
 * Search everywhere (the dashboard's Ctrl/Cmd+K): runs, experiments, prompts, models, functions,
 * variants, datasets and labelling queues whose name contains `q`, and the inference a pasted id
 * names; at most 5 of each kind.
 */
export const GET = route({
  access: "read",
  query: findQuery,
  response: findReply,
  handler: async ({ query, ctx }) => {
    // Functions live in the gateway's config; search the stores even when it cannot be loaded.
    const config = await getGateway().then(
      (g) => g.config,
      () => undefined,
    );
    return findEverywhere({ ctx: { db: ctx.stores.postgres.db, clickhouse: ctx.stores.clickhouse.client, config }, input: query });
  },
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = refuseOtherMethods({ GET });
