import { z } from "zod";
import { auditVersion, datasetsContextOf } from "@/lib/datasets/http.server";
import { datasetName, datasetVersionInfo } from "@/lib/datasets/schemas";
import { createFromPromptfoo } from "@/lib/datasets/service.server";
import { route } from "@/lib/http/route";
import { refuseOtherMethods } from "@/lib/http/methods";

export const dynamic = "force-dynamic";

/** A promptfoo config (YAML or JSON text): its `tests` (vars + assert) become a version. */
export const POST = route({
  access: "edit",
  body: z.object({
    name: datasetName,
    config: z
      .string()
      .min(1)
      .max(10 * 1024 * 1024),
  }),
  response: datasetVersionInfo,
  maxBodyBytes: 12 * 1024 * 1024,
  handler: async ({ body, ctx }) => auditVersion(ctx, await createFromPromptfoo(datasetsContextOf(ctx), body)),
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = refuseOtherMethods({ POST });
