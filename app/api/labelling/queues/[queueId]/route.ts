import { z } from "zod";
import { route } from "@/lib/http/route";
import { labellingContextOf } from "@/lib/labelling/http.server";
import { segment } from "@/lib/http/params";
import { getQueueDetail } from "@/lib/labelling/queues.server";
import { queueDetail } from "@/lib/labelling/schemas";
import { refuseOtherMethods } from "@/lib/http/methods";

export const dynamic = "force-dynamic";

/** The queue with its progress per reviewer and its agreement per field. */
export const GET = route({
  access: "read",
  params: z.object({ queueId: segment }),
  response: queueDetail,
  handler: async ({ params, ctx }) => getQueueDetail(labellingContextOf(ctx), params.queueId),
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = refuseOtherMethods({ GET });
