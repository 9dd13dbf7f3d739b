import { z } from "zod";
import { evaluationsContextOf, runFacts } from "@/lib/evaluations/http.server";
import { importPromptfooResults } from "@/lib/evaluations/promptfoo-import.server";
import { runView } from "@/lib/evaluations/schemas";
import { readJsonBody, route } from "@/lib/http/route";
import { refuseOtherMethods } from "@/lib/http/methods";

export const dynamic = "force-dynamic";

/** Imports promptfoo's `-o results.json` (v3) as a finished evaluation run: `?dataset=&name=` name what it creates. */
export const POST = route({
  access: "edit",
  query: z.object({ dataset: z.string().optional(), name: z.string().max(200).optional() }),
  maxBodyBytes: 100 * 1024 * 1024,
  response: runView,
  handler: async ({ req, query, ctx }) => {
    const run = await importPromptfooResults(evaluationsContextOf(ctx), await readJsonBody(req, 100 * 1024 * 1024), query);
    await ctx.audit.record({ action: "evaluations.run_imported", target: { kind: "evaluation_run", id: run.id }, after: runFacts(run) });
    return run;
  },
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = refuseOtherMethods({ POST });
