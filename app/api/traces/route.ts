import { refuseOtherMethods } from "@/lib/http/methods";
import { route } from "@/lib/http/route";
import { listTracePage } from "@/lib/traces/dashboard.server";
import { tracePageSchema, tracePageState } from "@/lib/traces/schemas";
import { trackingContextOf } from "@/lib/tracking/context";

export const dynamic = "force-dynamic";

/** Traces newest first, 50 a page: `experiment`, `session`, `user`, `status`, `minLatencyMs`, `maxLatencyMs`, `q` (text), `page`. */
export const GET = route({
  access: "read",
  query: tracePageState,
  response: tracePageSchema,
  handler: async ({ query, ctx }) => listTracePage(trackingContextOf(ctx), query),
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = refuseOtherMethods({ GET });
