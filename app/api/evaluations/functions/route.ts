import { functionsReply } from "@/lib/evaluations/api-client";
import { gatewayConfig } from "@/lib/evaluations/http.server";
import { route } from "@/lib/http/route";
import { refuseOtherMethods } from "@/lib/http/methods";

export const dynamic = "force-dynamic";

/** What the new-run form offers: functions with their variants and declared evaluators, and models. */
export const GET = route({
  access: "read",
  response: functionsReply,
  handler: async () => {
    const config = await gatewayConfig();
    return {
      functions: Object.entries(config.functions).map(([name, fn]) => ({
        name,
        variants: Object.keys(fn.variants),
        evaluators: Object.entries(fn.evaluators).map(([e, spec]) => ({ name: e, type: spec.type })),
      })),
      models: Object.keys(config.models),
    };
  },
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = refuseOtherMethods({ GET });
