import { z } from "zod";
import { segment } from "@/lib/http/params";
import { refuseOtherMethods } from "@/lib/http/methods";
import { route } from "@/lib/http/route";
import { getSessionView } from "@/lib/traces/dashboard.server";
import { sessionViewSchema } from "@/lib/traces/schemas";
import { trackingContextOf } from "@/lib/tracking/context";

export const dynamic = "force-dynamic";

/** One session (or gateway episode): its traces and inferences in time order. */
export const GET = route({
  access: "read",
  params: z.object({ id: segment }),
  response: sessionViewSchema,
  handler: async ({ params, ctx }) => getSessionView(trackingContextOf(ctx), params.id),
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = refuseOtherMethods({ GET });
