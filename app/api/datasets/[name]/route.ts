import { z } from "zod";
import { datasetsContext } from "@/lib/datasets/http.server";
import { datasetVersionInfo } from "@/lib/datasets/schemas";
import { getDatasetVersions } from "@/lib/datasets/store.server";
import { route } from "@/lib/http/route";
import { pathParam } from "@/lib/http/params";
import { refuseOtherMethods } from "@/lib/http/methods";

export const dynamic = "force-dynamic";

export const GET = route({
  access: "read",
  response: z.object({ name: z.string(), versions: z.array(datasetVersionInfo) }),
  handler: async ({ params }) => {
    const name = pathParam(params, "name");
    return { name, versions: await getDatasetVersions(await datasetsContext(), name) };
  },
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = refuseOtherMethods({ GET });
