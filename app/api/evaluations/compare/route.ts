import { evaluationsContextOf } from "@/lib/evaluations/http.server";
import { compareRuns } from "@/lib/evaluations/compare.server";
import { compareQuery } from "@/lib/evaluations/compare-schemas";
import { route } from "@/lib/http/route";
import { refuseOtherMethods } from "@/lib/http/methods";

export const dynamic = "force-dynamic";

/** `?arms=<run>[:<candidate>]&arms=…` (the first is the baseline): paired comparison and side-by-side items. */
export const GET = route({
  access: "read",
  handler: async ({ req, ctx }) => {
    const query = compareQuery.parse({
      arms: req.nextUrl.searchParams.getAll("arms"),
      offset: req.nextUrl.searchParams.get("offset") ?? undefined,
      limit: req.nextUrl.searchParams.get("limit") ?? undefined,
    });
    return compareRuns(evaluationsContextOf(ctx), query.arms, query);
  },
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = refuseOtherMethods({ GET });
