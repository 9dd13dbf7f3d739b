import { z } from "zod";
import { createFromInferences } from "@/lib/datasets/from-inferences.server";
import { auditVersion, datasetsContextOf } from "@/lib/datasets/http.server";
import { datasetName, datasetVersionInfo } from "@/lib/datasets/schemas";
import { route } from "@/lib/http/route";
import { refuseOtherMethods } from "@/lib/http/methods";

export const dynamic = "force-dynamic";

/** Inferences picked in the inference browser as a version, expecting their output or their demonstration. */
export const POST = route({
  access: "edit",
  body: z.object({
    name: datasetName,
    inferenceIds: z.array(z.uuid()).min(1).max(10_000),
    expected: z.enum(["output", "demonstration"]).default("output"),
    /** Add after the latest version's items instead of making a version of these alone. */
    append: z.boolean().default(false),
  }),
  response: datasetVersionInfo,
  handler: async ({ body, ctx }) => auditVersion(ctx, await createFromInferences(datasetsContextOf(ctx), body)),
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = refuseOtherMethods({ POST });
