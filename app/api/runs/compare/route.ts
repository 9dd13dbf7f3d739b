import { z } from "zod";
import { trackingContextOf } from "@/lib/tracking/context";
import { loadRunRows } from "@/lib/experiments/loaders.server";
import { MAX_HISTORY_RUNS, idList, runRow } from "@/lib/experiments/schemas";
import { route } from "@/lib/http/route";
import { refuseOtherMethods } from "@/lib/http/methods";

export const dynamic = "force-dynamic";

/** `?runs=a,b,c`: the runs to compare (params, latest metrics, tags), in the order asked. */
export const GET = route({
  access: "read",
  query: z.object({
    runs: idList.refine(
      (l) => l.length >= 1 && l.length <= MAX_HISTORY_RUNS,
      `runs: give 1 to ${MAX_HISTORY_RUNS} run ids, comma-separated`,
    ),
  }),
  response: z.object({ runs: z.array(runRow) }),
  handler: async ({ query, ctx }) => ({ runs: await loadRunRows(trackingContextOf(ctx), query.runs) }),
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = refuseOtherMethods({ GET });
