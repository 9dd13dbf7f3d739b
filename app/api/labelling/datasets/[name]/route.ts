import { z } from "zod";
import { route } from "@/lib/http/route";
import { getDatasetVersions } from "@/lib/labelling/datasets.server";
import { labellingContext } from "@/lib/labelling/http.server";
import { pathParam } from "@/lib/http/params";
import { datasetVersionInfo } from "@/lib/labelling/schemas";
import { refuseOtherMethods } from "@/lib/http/methods";

export const dynamic = "force-dynamic";

export const GET = route({
  response: z.object({ name: z.string(), versions: z.array(datasetVersionInfo) }),
  handler: async ({ params }) => {
    const name = pathParam(params, "name");
    return { name, versions: await getDatasetVersions(await labellingContext(), name) };
  },
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = refuseOtherMethods({ GET });
