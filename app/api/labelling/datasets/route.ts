import { z } from "zod";
import { route } from "@/lib/http/route";
import { listDatasets, saveDataset } from "@/lib/labelling/datasets.server";
import { labellingContext } from "@/lib/labelling/http.server";
import { datasetSummary, datasetVersionInfo, saveDatasetInput } from "@/lib/labelling/schemas";
import { refuseOtherMethods } from "@/lib/http/methods";

export const dynamic = "force-dynamic";

export const GET = route({
  response: z.object({ datasets: z.array(datasetSummary) }),
  handler: async () => ({ datasets: await listDatasets(await labellingContext()) }),
});

/** Saves a queue's labelled items as a new immutable version (or returns the identical latest one). */
export const POST = route({
  body: saveDatasetInput,
  response: datasetVersionInfo,
  handler: async ({ body }) => saveDataset(await labellingContext(), body),
});

export const { PUT, PATCH, DELETE, OPTIONS } = refuseOtherMethods({ GET, POST });
