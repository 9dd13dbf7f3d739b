import { z } from "zod";
import { route } from "@/lib/http/route";
import { labellingContextOf } from "@/lib/labelling/http.server";
import { checkFieldMetrics } from "@/lib/labelling/metrics.server";
import { createQueue, listQueues } from "@/lib/labelling/queues.server";
import { createQueueInput, queueSummary } from "@/lib/labelling/schemas";
import { refuseOtherMethods } from "@/lib/http/methods";

export const dynamic = "force-dynamic";

export const GET = route({
  access: "read",
  response: z.object({ queues: z.array(queueSummary) }),
  handler: async ({ ctx }) => ({ queues: await listQueues(labellingContextOf(ctx)) }),
});

/** Creates a queue from a filter over inferences or a random sample; 400 says how to fix the filter. */
export const POST = route({
  access: "edit",
  body: createQueueInput,
  response: queueSummary,
  handler: async ({ body, ctx }) => {
    const queue = await createQueue(labellingContextOf(ctx), body, { checkFields: checkFieldMetrics });
    const { id, name, source, fields, overlap, reviewers, blind, itemCount } = queue;
    await ctx.audit.record({
      action: "labelling.queue_created",
      target: { kind: "label_queue", id },
      after: { name, source, fields, overlap, reviewers, blind, item_count: itemCount },
    });
    return queue;
  },
});

export const { PUT, PATCH, DELETE, OPTIONS } = refuseOtherMethods({ GET, POST });
