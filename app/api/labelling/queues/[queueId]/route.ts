import { route } from "@/lib/http/route";
import { labellingContext } from "@/lib/labelling/http.server";
import { pathParam } from "@/lib/http/params";
import { getQueueDetail } from "@/lib/labelling/queues.server";
import { queueDetail } from "@/lib/labelling/schemas";
import { refuseOtherMethods } from "@/lib/http/methods";

export const dynamic = "force-dynamic";

/** The queue with its progress per reviewer and its agreement per field. */
export const GET = route({
  response: queueDetail,
  handler: async ({ params }) => getQueueDetail(await labellingContext(), pathParam(params, "queueId")),
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = refuseOtherMethods({ GET });
