import { z } from "zod";
import { auditVersion, datasetsContextOf } from "@/lib/datasets/http.server";
import { datasetVersionInfo, newItem } from "@/lib/datasets/schemas";
import { appendItems } from "@/lib/datasets/service.server";
import { segment } from "@/lib/http/params";
import { route } from "@/lib/http/route";
import { refuseOtherMethods } from "@/lib/http/methods";

export const dynamic = "force-dynamic";

/** `{items}`: a new version of the dataset with the latest version's items followed by these (the dataset is created if new). */
export const POST = route({
  access: "edit",
  params: z.object({ name: segment }),
  body: z.object({ items: z.array(newItem).min(1, "give at least one item").max(1000) }),
  response: datasetVersionInfo,
  handler: async ({ params, body, ctx }) =>
    auditVersion(ctx, await appendItems(datasetsContextOf(ctx), { name: params.name, items: body.items })),
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = refuseOtherMethods({ POST });
