import { pathParam } from "@/lib/http/params";
import { refuseOtherMethods } from "@/lib/http/methods";
import { route } from "@/lib/http/route";
import { getStores } from "@/lib/stores/index.server";
import { getSessionView } from "@/lib/traces/dashboard.server";
import { sessionViewSchema } from "@/lib/traces/schemas";

export const dynamic = "force-dynamic";

/** One session (or gateway episode): its traces and inferences in time order. */
export const GET = route({
  access: "read",
  response: sessionViewSchema,
  handler: async ({ params }) => {
    const stores = await getStores();
    return getSessionView({ db: stores.postgres.db, clickhouse: stores.clickhouse.client }, pathParam(params, "id"));
  },
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = refuseOtherMethods({ GET });
