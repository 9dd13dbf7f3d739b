import { z } from "zod";
import { evaluationsContext, gatewayConfig, kickWorker } from "@/lib/evaluations/http.server";
import { createEvaluationRun, listRuns } from "@/lib/evaluations/runs.server";
import { createRunInput, runListEntry, runView } from "@/lib/evaluations/schemas";
import { route } from "@/lib/http/route";
import { refuseOtherMethods } from "@/lib/http/methods";

export const dynamic = "force-dynamic";

export const GET = route({
  access: "read",
  query: z.object({ function: z.string().optional(), limit: z.coerce.number().int().min(1).max(1000).default(200) }),
  response: z.object({ runs: z.array(runListEntry) }),
  handler: async ({ query }) => ({ runs: await listRuns(await evaluationsContext(), query) }),
});

/** Starts an evaluation run: it is queued and worked on in the background by every app server. */
export const POST = route({
  access: "edit",
  body: createRunInput,
  response: runView,
  handler: async ({ body }) => {
    const run = await createEvaluationRun(await evaluationsContext(), await gatewayConfig(), body);
    await kickWorker();
    return run;
  },
});

export const { PUT, PATCH, DELETE, OPTIONS } = refuseOtherMethods({ GET, POST });
