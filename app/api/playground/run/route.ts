import { getGateway } from "@/lib/gateway/runtime.server";
import { resolveTarget, runPlayground } from "@/lib/playground/service.server";
import { playgroundRunBody } from "@/lib/playground/schemas";
import { route } from "@/lib/http/route";
import { refuseOtherMethods } from "@/lib/http/methods";

export const dynamic = "force-dynamic";

/**
 * `{function, target: {variant} | {prompt, base?}, variables, side?}`: runs it through the gateway
 * and answers NDJSON events (start, deltas, done with latency, tokens and cost). Bad input and a
 * request the gateway refuses before answering are JSON 4xx; a failure mid-answer is an error event.
 */
export const POST = route({
  access: "edit",
  body: playgroundRunBody,
  handler: async ({ req, body, ctx }) => {
    const gateway = await getGateway();
    const { config, variant } = await resolveTarget(ctx.stores.postgres.db, gateway.config, body.function, body.target);
    const events = runPlayground({
      gateway: config === gateway.config ? gateway : gateway.withConfig(config),
      functionName: body.function,
      variant,
      variables: body.variables,
      side: body.side,
      signal: req.signal,
    });
    // The first event waits for the gateway to accept the request, so its refusals keep their 4xx status.
    const first = await events.next();
    if (!first.done && first.value.type === "start") {
      await ctx.audit.record({
        action: "playground.run",
        target: { kind: "inference", id: first.value.inferenceId },
        after: { function: body.function, variant: first.value.variant, model: first.value.model, episode_id: first.value.episodeId },
      });
    }
    const encoder = new TextEncoder();
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        if (!first.done) controller.enqueue(encoder.encode(JSON.stringify(first.value) + "\n"));
      },
      async pull(controller) {
        const next = await events
          .next()
          .catch((error: unknown) => ({ done: false as const, value: { type: "error", message: String(error) } }));
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(JSON.stringify(next.value) + "\n"));
      },
      async cancel() {
        await events.return(undefined);
      },
    });
    return new Response(stream, { headers: { "content-type": "application/x-ndjson; charset=utf-8", "cache-control": "no-store" } });
  },
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = refuseOtherMethods({ POST });
