import { z } from "zod";
import { datasetsContext } from "@/lib/datasets/http.server";
import { createVersionInput, datasetSummary, datasetVersionInfo } from "@/lib/datasets/schemas";
import { createFromItems } from "@/lib/datasets/service.server";
import { listDatasets } from "@/lib/datasets/store.server";
import { route } from "@/lib/http/route";
import { saveDataset } from "@/lib/labelling/datasets.server";
import { saveDatasetInput } from "@/lib/labelling/schemas";
import { refuseOtherMethods } from "@/lib/http/methods";

export const dynamic = "force-dynamic";

export const GET = route({
  access: "read",
  response: z.object({ datasets: z.array(datasetSummary) }),
  handler: async () => ({ datasets: await listDatasets(await datasetsContext()) }),
});

/**
 * Saves a new immutable version (or returns the identical latest one): `{name, items}` from the
 * API, or `{queueId, name, good?}` to save a labelling queue's labelled items.
 */
export const POST = route({
  access: "edit",
  body: z.union([saveDatasetInput, createVersionInput]),
  response: datasetVersionInfo,
  maxBodyBytes: 50 * 1024 * 1024,
  handler: async ({ body }) => {
    const ctx = await datasetsContext();
    return "queueId" in body ? saveDataset(ctx, body) : createFromItems(ctx, { ...body, source: { kind: "api" } });
  },
});

export const { PUT, PATCH, DELETE, OPTIONS } = refuseOtherMethods({ GET, POST });
