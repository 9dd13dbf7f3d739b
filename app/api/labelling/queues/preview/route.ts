import { z } from "zod";
import { route } from "@/lib/http/route";
import { labellingContextOf } from "@/lib/labelling/http.server";
import { previewQueue } from "@/lib/labelling/queues.server";
import { previewInput } from "@/lib/labelling/schemas";
import { refuseOtherMethods } from "@/lib/http/methods";

export const dynamic = "force-dynamic";

/** How many inferences the filter matches and how many items the queue would hold. */
export const POST = route({
  access: "edit",
  readOnly: true,
  body: previewInput,
  response: z.object({ matching: z.number(), items: z.number(), fits: z.boolean() }),
  handler: async ({ body, ctx }) => previewQueue(labellingContextOf(ctx), body),
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = refuseOtherMethods({ POST });
