import { auditVersion, datasetsContextOf } from "@/lib/datasets/http.server";
import { datasetName, datasetVersionInfo } from "@/lib/datasets/schemas";
import { createFromUpload, uploadInput } from "@/lib/datasets/service.server";
import { route } from "@/lib/http/route";
import { refuseOtherMethods } from "@/lib/http/methods";

export const dynamic = "force-dynamic";

/** Saves an uploaded JSONL or CSV file as a version; a bad row refuses the file with each row's error. */
export const POST = route({
  access: "edit",
  body: uploadInput.extend({ name: datasetName }),
  response: datasetVersionInfo,
  maxBodyBytes: 50 * 1024 * 1024,
  handler: async ({ body, ctx }) => auditVersion(ctx, await createFromUpload(datasetsContextOf(ctx), body)),
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = refuseOtherMethods({ POST });
