import { budgetStatusReply } from "@/lib/budgets/schemas";
import { budgetStatus } from "@/lib/budgets/status.server";
import { getGateway } from "@/lib/gateway/runtime.server";
import { route } from "@/lib/http/route";
import { refuseOtherMethods } from "@/lib/http/methods";

export const dynamic = "force-dynamic";

/** Current spend vs budget of each `[budgets]` limit (the current minute, day and month, UTC). */
export const GET = route({
  access: "read",
  response: budgetStatusReply,
  handler: async () => {
    const gateway = await getGateway();
    return budgetStatus(gateway.config.budgets, gateway.budgets);
  },
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = refuseOtherMethods({ GET });
