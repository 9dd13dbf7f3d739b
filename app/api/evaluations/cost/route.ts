import { z } from "zod";
import { inferenceCost } from "@/lib/evaluations/cost.server";
import { getGateway } from "@/lib/gateway/runtime.server";
import { route } from "@/lib/http/route";
import { refuseOtherMethods } from "@/lib/http/methods";

export const dynamic = "force-dynamic";

/** `?inference_id=`: the inference's cost in US dollars from its recorded model calls (the promptfoo provider reads it). */
export const GET = route({
  access: "read",
  query: z.object({ inference_id: z.uuid() }),
  response: z.object({ inference_id: z.string(), cost: z.number(), model_calls: z.number() }),
  handler: async ({ query }) => {
    const gateway = await getGateway();
    return inferenceCost(gateway.clickhouse, query.inference_id, { flush: () => gateway.recorder.flush() });
  },
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = refuseOtherMethods({ GET });
