import { z } from "zod";
import { auditVersion, datasetsContextOf } from "@/lib/datasets/http.server";
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
  handler: async ({ ctx }) => ({ datasets: await listDatasets(datasetsContextOf(ctx)) }),
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
  handler: async ({ body, ctx }) => {
    const stores = datasetsContextOf(ctx);
    return auditVersion(
      ctx,
      "queueId" in body ? await saveDataset(stores, body) : await createFromItems(stores, { ...body, source: { kind: "api" } }),
    );
  },
});

export const { PUT, PATCH, DELETE, OPTIONS } = refuseOtherMethods({ GET, POST });
