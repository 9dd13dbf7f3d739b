import { refuseOtherMethods } from "@/lib/http/methods";
import { route } from "@/lib/http/route";
import { getStores } from "@/lib/stores/index.server";
import { listTracePage } from "@/lib/traces/dashboard.server";
import { tracePageSchema, tracePageState } from "@/lib/traces/schemas";

export const dynamic = "force-dynamic";

/** Traces newest first, 50 a page: `experiment`, `session`, `user`, `status`, `minLatencyMs`, `maxLatencyMs`, `q` (text), `page`. */
export const GET = route({
  access: "read",
  query: tracePageState,
  response: tracePageSchema,
  handler: async ({ query }) => {
    const stores = await getStores();
    return listTracePage({ db: stores.postgres.db, clickhouse: stores.clickhouse.client }, query);
  },
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = refuseOtherMethods({ GET });
