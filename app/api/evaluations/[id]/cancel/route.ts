import { z } from "zod";
import { evaluationsContextOf, runFacts } from "@/lib/evaluations/http.server";
import { cancelRun } from "@/lib/evaluations/runs.server";
import { runView } from "@/lib/evaluations/schemas";
import { route } from "@/lib/http/route";
import { segment } from "@/lib/http/params";
import { refuseOtherMethods } from "@/lib/http/methods";

export const dynamic = "force-dynamic";

export const POST = route({
  access: "edit",
  params: z.object({ id: segment }),
  response: runView,
  handler: async ({ params, ctx }) => {
    const run = await cancelRun(evaluationsContextOf(ctx), params.id);
    await ctx.audit.record({ action: "evaluations.run_cancelled", target: { kind: "evaluation_run", id: run.id }, after: runFacts(run) });
    return run;
  },
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = refuseOtherMethods({ POST });
