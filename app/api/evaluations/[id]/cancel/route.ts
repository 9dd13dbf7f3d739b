import { evaluationsContext } from "@/lib/evaluations/http.server";
import { cancelRun } from "@/lib/evaluations/runs.server";
import { runView } from "@/lib/evaluations/schemas";
import { route } from "@/lib/http/route";
import { param } from "@/lib/labelling/http.server";

export const dynamic = "force-dynamic";

export const POST = route({
  response: runView,
  handler: async ({ params }) => cancelRun(await evaluationsContext(), param(params, "id")),
});
