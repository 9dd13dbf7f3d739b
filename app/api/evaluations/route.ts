import { z } from "zod";
import { evaluationsContextOf, gatewayConfig, kickWorker, runFacts } from "@/lib/evaluations/http.server";
import { createEvaluationRun, listRuns } from "@/lib/evaluations/runs.server";
import { createRunInput, runListEntry, runView } from "@/lib/evaluations/schemas";
import { route } from "@/lib/http/route";
import { refuseOtherMethods } from "@/lib/http/methods";

export const dynamic = "force-dynamic";

export const GET = route({
  access: "read",
  query: z.object({ function: z.string().optional(), limit: z.coerce.number().int().min(1).max(1000).default(200) }),
  response: z.object({ runs: z.array(runListEntry) }),
  handler: async ({ query, ctx }) => ({ runs: await listRuns(evaluationsContextOf(ctx), query) }),
});

/** Starts an evaluation run: it is queued and worked on in the background by every app server. */
export const POST = route({
  access: "edit",
  body: createRunInput,
  response: runView,
  handler: async ({ body, ctx }) => {
    const run = await createEvaluationRun(evaluationsContextOf(ctx), await gatewayConfig(), body);
    await ctx.audit.record({ action: "evaluations.run_started", target: { kind: "evaluation_run", id: run.id }, after: runFacts(run) });
    await kickWorker();
    return run;
  },
});

export const { PUT, PATCH, DELETE, OPTIONS } = refuseOtherMethods({ GET, POST });
