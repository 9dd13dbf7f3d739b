import { z } from "zod";
import { evaluationsContextOf } from "@/lib/evaluations/http.server";
import { getRunView } from "@/lib/evaluations/runs.server";
import { runView } from "@/lib/evaluations/schemas";
import { route } from "@/lib/http/route";
import { segment } from "@/lib/http/params";
import { refuseOtherMethods } from "@/lib/http/methods";

export const dynamic = "force-dynamic";

/** The run with its progress (done/total, errors, ETA), per-candidate summary and thresholds. */
export const GET = route({
  access: "read",
  params: z.object({ id: segment }),
  response: runView,
  handler: async ({ params, ctx }) => getRunView(evaluationsContextOf(ctx), params.id),
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = refuseOtherMethods({ GET });
