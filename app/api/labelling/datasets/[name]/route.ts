import { z } from "zod";
import { route } from "@/lib/http/route";
import { getDatasetVersions } from "@/lib/labelling/datasets.server";
import { labellingContext, param } from "@/lib/labelling/http.server";
import { datasetVersionInfo } from "@/lib/labelling/schemas";

export const dynamic = "force-dynamic";

export const GET = route({
  response: z.object({ name: z.string(), versions: z.array(datasetVersionInfo) }),
  handler: async ({ params }) => {
    const name = param(params, "name");
    return { name, versions: await getDatasetVersions(await labellingContext(), name) };
  },
});
