import { route } from "@/lib/http/route";
import { labellingContext, param } from "@/lib/labelling/http.server";
import { getQueueDetail } from "@/lib/labelling/queues.server";
import { queueDetail } from "@/lib/labelling/schemas";

export const dynamic = "force-dynamic";

/** The queue with its progress per reviewer and its agreement per field. */
export const GET = route({
  response: queueDetail,
  handler: async ({ params }) => getQueueDetail(await labellingContext(), param(params, "queueId")),
});
