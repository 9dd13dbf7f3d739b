import { z } from "zod";
import { route } from "@/lib/http/route";
import { labellingContext } from "@/lib/labelling/http.server";
import { checkFieldMetrics } from "@/lib/labelling/metrics.server";
import { createQueue, listQueues } from "@/lib/labelling/queues.server";
import { createQueueInput, queueSummary } from "@/lib/labelling/schemas";
import { refuseOtherMethods } from "@/lib/http/methods";

export const dynamic = "force-dynamic";

export const GET = route({
  response: z.object({ queues: z.array(queueSummary) }),
  handler: async () => ({ queues: await listQueues(await labellingContext()) }),
});

/** Creates a queue from a filter over inferences or a random sample; 400 says how to fix the filter. */
export const POST = route({
  body: createQueueInput,
  response: queueSummary,
  handler: async ({ body }) => createQueue(await labellingContext(), body, { checkFields: checkFieldMetrics }),
});

export const { PUT, PATCH, DELETE, OPTIONS } = refuseOtherMethods({ GET, POST });
