import { z } from "zod";
import { trackingContextOf } from "@/lib/tracking/context";
import { listColumnKeys } from "@/lib/experiments/loaders.server";
import { columnsReply, idList } from "@/lib/experiments/schemas";
import { route } from "@/lib/http/route";
import { refuseOtherMethods } from "@/lib/http/methods";

export const dynamic = "force-dynamic";

/** Metric, param and tag keys of the given experiments, for the column chooser and filter hints. */
export const GET = route({
  access: "read",
  query: z.object({ exp: idList }),
  response: columnsReply,
  handler: async ({ query, ctx }) => listColumnKeys(trackingContextOf(ctx), query.exp),
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = refuseOtherMethods({ GET });
