import { pathParam } from "@/lib/http/params";
import { refuseOtherMethods } from "@/lib/http/methods";
import { route } from "@/lib/http/route";
import { getStores } from "@/lib/stores/index.server";
import { getTraceView } from "@/lib/traces/dashboard.server";
import { traceViewSchema } from "@/lib/traces/schemas";

export const dynamic = "force-dynamic";

/** One trace: its spans (tree and timeline), token and cost roll-up, assessments and linked inferences. */
export const GET = route({
  access: "read",
  response: traceViewSchema,
  handler: async ({ params }) => {
    const stores = await getStores();
    return getTraceView({ db: stores.postgres.db, clickhouse: stores.clickhouse.client }, pathParam(params, "id"));
  },
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = refuseOtherMethods({ GET });
