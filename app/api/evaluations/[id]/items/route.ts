import { z } from "zod";
import { evaluationsContextOf } from "@/lib/evaluations/http.server";
import { listRunItems } from "@/lib/evaluations/runs.server";
import { itemView } from "@/lib/evaluations/schemas";
import { route } from "@/lib/http/route";
import { segment } from "@/lib/http/params";
import { refuseOtherMethods } from "@/lib/http/methods";

export const dynamic = "force-dynamic";

/** The run's items, paged; `failures=1` keeps failed and errored ones. */
export const GET = route({
  access: "read",
  params: z.object({ id: segment }),
  query: z.object({
    failures: z.enum(["0", "1", "true", "false"]).optional(),
    candidate: z.string().optional(),
    offset: z.coerce.number().int().min(0).default(0),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
  }),
  response: z.object({ items: z.array(itemView), total: z.number() }),
  handler: async ({ params, query, ctx }) =>
    listRunItems(evaluationsContextOf(ctx), params.id, {
      ...query,
      failures: query.failures === "1" || query.failures === "true",
    }),
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = refuseOtherMethods({ GET });
