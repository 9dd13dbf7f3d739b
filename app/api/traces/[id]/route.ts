import { z } from "zod";
import { segment } from "@/lib/http/params";
import { refuseOtherMethods } from "@/lib/http/methods";
import { route } from "@/lib/http/route";
import { getTraceView } from "@/lib/traces/dashboard.server";
import { traceViewSchema } from "@/lib/traces/schemas";
import { trackingContextOf } from "@/lib/tracking/context";

export const dynamic = "force-dynamic";

/** One trace: its spans (tree and timeline), token and cost roll-up, assessments and linked inferences. */
export const GET = route({
  access: "read",
  params: z.object({ id: segment }),
  response: traceViewSchema,
  handler: async ({ params, ctx }) => getTraceView(trackingContextOf(ctx), params.id),
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = refuseOtherMethods({ GET });
