import { z } from "zod";
import { datasetsContextOf } from "@/lib/datasets/http.server";
import { datasetVersionInfo } from "@/lib/datasets/schemas";
import { getDatasetVersions } from "@/lib/datasets/store.server";
import { route } from "@/lib/http/route";
import { segment } from "@/lib/http/params";
import { refuseOtherMethods } from "@/lib/http/methods";

export const dynamic = "force-dynamic";

export const GET = route({
  access: "read",
  params: z.object({ name: segment }),
  response: z.object({ name: z.string(), versions: z.array(datasetVersionInfo) }),
  handler: async ({ params, ctx }) => {
    const { name } = params;
    return { name, versions: await getDatasetVersions(datasetsContextOf(ctx), name) };
  },
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = refuseOtherMethods({ GET });
