import { route } from "@/lib/http/route";
import { LINEAGE_KINDS } from "@/lib/lineage-kinds.server";
import { lineageGraph } from "@/lib/lineage/graph.server";
import { lineageGraphSchema, lineageQuery } from "@/lib/lineage/schemas";
import { trackingContextOf } from "@/lib/tracking/context";
import { refuseOtherMethods } from "@/lib/http/methods";

export const dynamic = "force-dynamic";

/** The connected graph around `node` (`kind:id`), `depth` hops out, at most `limit` nodes. */
export const GET = route({
  access: "read",
  query: lineageQuery,
  response: lineageGraphSchema,
  handler: async ({ query, ctx }) =>
    lineageGraph(trackingContextOf(ctx), { root: query.node, depth: query.depth, maxNodes: query.limit }, LINEAGE_KINDS),
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = refuseOtherMethods({ GET });
