import type { ChatDelta, ChatOutput, Usage } from "../chat";
import type { ResponsesRequest } from "./request";

/**
 * The Responses API's answer (the `openai` SDK's `Response`) and its typed stream events, built
 * from the gateway's chat output. Ids: the response is `resp_<inference id>` (so
 * `previous_response_id` finds the recorded inference), its message `msg_<inference id>`, a
 * function call item `fc_<call id>`.
 */
export const RESPONSE_PREFIX = "resp_";

export const responseId = (inferenceId: string) => `${RESPONSE_PREFIX}${inferenceId}`;

/** The inference id in a response id (or a bare inference id); undefined if it is neither. */
export function inferenceIdOf(responseId: string): string | undefined {
  const id = responseId.startsWith(RESPONSE_PREFIX) ? responseId.slice(RESPONSE_PREFIX.length) : responseId;
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id) ? id.toLowerCase() : undefined;
}

export interface ResponseMeta {
  inferenceId: string;
  model: string;
  createdAt: number;
  request: ResponsesRequest;
}

type OutputItem =
  | {
      type: "message";
      id: string;
      status: "in_progress" | "completed" | "incomplete";
      role: "assistant";
      content: { type: "output_text"; text: string; annotations: never[]; logprobs: unknown[] }[];
    }
  | { type: "function_call"; id: string; call_id: string; name: string; arguments: string; status: "in_progress" | "completed" };

function usageOf(usage: Usage) {
  return {
    input_tokens: usage.input_tokens,
    input_tokens_details: { cached_tokens: usage.cached_input_tokens ?? 0 },
    output_tokens: usage.output_tokens,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: usage.input_tokens + usage.output_tokens,
    ...(usage.cost !== undefined ? { cost: usage.cost } : {}),
  };
}

/** The Response object; `output`/`usage` absent while it is in progress. */
export function responseObject(meta: ResponseMeta, done?: { output: ChatOutput; usage: Usage }) {
  const r = meta.request;
  const incomplete = done && (done.output.finish_reason === "length" || done.output.finish_reason === "content_filter");
  const items = done ? outputItems(meta.inferenceId, done.output) : [];
  return {
    id: responseId(meta.inferenceId),
    object: "response" as const,
    created_at: meta.createdAt,
    status: !done ? ("in_progress" as const) : incomplete ? ("incomplete" as const) : ("completed" as const),
    ...(done && !incomplete ? { completed_at: Math.floor(Date.now() / 1000) } : {}),
    background: false,
    error: null,
    incomplete_details: incomplete ? { reason: done.output.finish_reason === "length" ? "max_output_tokens" : "content_filter" } : null,
    instructions: r.instructions ?? null,
    max_output_tokens: r.max_output_tokens ?? null,
    metadata: r.metadata ?? {},
    model: meta.model,
    output: items,
    output_text: items.flatMap((i) => (i.type === "message" ? i.content.map((c) => c.text) : [])).join(""),
    parallel_tool_calls: r.parallel_tool_calls ?? true,
    previous_response_id: r.previous_response_id ?? null,
    reasoning: { effort: r.reasoning?.effort ?? null, summary: null },
    service_tier: r.service_tier ?? "default",
    store: r.store ?? true,
    temperature: r.temperature ?? null,
    text: { format: r.text?.format ?? { type: "text" }, verbosity: r.text?.verbosity ?? "medium" },
    tool_choice: r.tool_choice ?? "auto",
    tools: r.tools ?? [],
    top_logprobs: r.top_logprobs ?? 0,
    top_p: r.top_p ?? null,
    truncation: r.truncation ?? "disabled",
    usage: done ? usageOf(done.usage) : null,
    user: r.user ?? null,
  };
}

function outputItems(inferenceId: string, output: ChatOutput): OutputItem[] {
  const items: OutputItem[] = [];
  const status = output.finish_reason === "length" ? ("incomplete" as const) : ("completed" as const);
  if (output.content)
    items.push({
      type: "message",
      id: `msg_${inferenceId}`,
      status,
      role: "assistant",
      // Chat logprobs entries ({token, logprob, bytes, top_logprobs}) have the Responses API's shape.
      content: [{ type: "output_text", text: output.content, annotations: [], logprobs: output.logprobs?.content ?? [] }],
    });
  for (const call of output.tool_calls ?? [])
    items.push({
      type: "function_call",
      id: `fc_${call.id}`,
      call_id: call.id,
      name: call.function.name,
      arguments: call.function.arguments,
      status: "completed",
    });
  return items;
}

/** The upstream's own Response (native pass-through) under the gateway's id and the client's model name, with its cost. */
export function nativeResponse(meta: ResponseMeta, response: Record<string, unknown>, usage?: Usage): Record<string, unknown> {
  const own = response.usage && typeof response.usage === "object" ? (response.usage as Record<string, unknown>) : undefined;
  return {
    ...response,
    id: responseId(meta.inferenceId),
    model: meta.model,
    ...(own && usage?.cost !== undefined ? { usage: { ...own, cost: usage.cost } } : {}),
  };
}

/** A native upstream's stream event, its `response` rewritten as in nativeResponse (the last one priced). */
export function relayEvent(meta: ResponseMeta, event: Record<string, unknown>, usage?: Usage): Record<string, unknown> {
  const response = event.response;
  if (!response || typeof response !== "object") return event;
  return { ...event, response: nativeResponse(meta, response as Record<string, unknown>, usage) };
}

/**
 * Turns chat deltas into the Responses stream's events, in OpenAI's order: response.created,
 * response.in_progress, then per output item output_item.added → (content_part.added →
 * output_text.delta… → output_text.done → content_part.done | function_call_arguments.delta… →
 * function_call_arguments.done) → output_item.done, and response.completed (or .incomplete).
 */
export class ResponseStream {
  private seq = 0;
  private items: {
    kind: "message" | "call";
    index: number;
    id: string;
    text: string;
    callId?: string;
    name?: string;
    logprobs: unknown[];
  }[] = [];
  private message: (typeof this.items)[number] | undefined;
  private calls = new Map<number, (typeof this.items)[number]>();

  constructor(private readonly meta: ResponseMeta) {}

  private event(type: string, body: Record<string, unknown>) {
    return { type, sequence_number: this.seq++, ...body };
  }

  start() {
    const response = responseObject(this.meta);
    return [this.event("response.created", { response }), this.event("response.in_progress", { response })];
  }

  delta(delta: ChatDelta, final: { output: ChatOutput; usage: Usage } | undefined): Record<string, unknown>[] {
    const events: Record<string, unknown>[] = [];
    if (delta.content) {
      if (!this.message) {
        this.message = { kind: "message", index: this.items.length, id: `msg_${this.meta.inferenceId}`, text: "", logprobs: [] };
        this.items.push(this.message);
        events.push(
          this.event("response.output_item.added", {
            output_index: this.message.index,
            item: { type: "message", id: this.message.id, status: "in_progress", role: "assistant", content: [] },
          }),
          this.event("response.content_part.added", {
            item_id: this.message.id,
            output_index: this.message.index,
            content_index: 0,
            part: { type: "output_text", text: "", annotations: [], logprobs: [] },
          }),
        );
      }
      this.message.text += delta.content;
      const logprobs = delta.logprobs?.content ?? [];
      this.message.logprobs.push(...logprobs);
      events.push(
        this.event("response.output_text.delta", {
          item_id: this.message.id,
          output_index: this.message.index,
          content_index: 0,
          delta: delta.content,
          logprobs,
        }),
      );
    }
    for (const part of delta.tool_calls ?? []) {
      let call = this.calls.get(part.index);
      if (!call) {
        const callId = part.id ?? `call_${this.meta.inferenceId}_${part.index}`;
        call = {
          kind: "call",
          index: this.items.length,
          id: `fc_${callId}`,
          text: "",
          callId,
          name: part.function?.name ?? "",
          logprobs: [],
        };
        this.calls.set(part.index, call);
        this.items.push(call);
        events.push(
          this.event("response.output_item.added", {
            output_index: call.index,
            item: { type: "function_call", id: call.id, call_id: callId, name: call.name, arguments: "", status: "in_progress" },
          }),
        );
      } else if (part.function?.name) call.name += part.function.name;
      if (part.function?.arguments) {
        call.text += part.function.arguments;
        events.push(
          this.event("response.function_call_arguments.delta", {
            item_id: call.id,
            output_index: call.index,
            delta: part.function.arguments,
          }),
        );
      }
    }
    if (final) events.push(...this.finish(final));
    return events;
  }

  private finish(final: { output: ChatOutput; usage: Usage }): Record<string, unknown>[] {
    const events: Record<string, unknown>[] = [];
    const status = final.output.finish_reason === "length" ? "incomplete" : "completed";
    for (const item of this.items) {
      if (item.kind === "message") {
        const part = { type: "output_text", text: item.text, annotations: [], logprobs: item.logprobs };
        events.push(
          this.event("response.output_text.done", {
            item_id: item.id,
            output_index: item.index,
            content_index: 0,
            text: item.text,
            logprobs: item.logprobs,
          }),
          this.event("response.content_part.done", { item_id: item.id, output_index: item.index, content_index: 0, part }),
          this.event("response.output_item.done", {
            output_index: item.index,
            item: { type: "message", id: item.id, status, role: "assistant", content: [part] },
          }),
        );
      } else {
        events.push(
          this.event("response.function_call_arguments.done", {
            item_id: item.id,
            output_index: item.index,
            name: item.name,
            arguments: item.text,
          }),
          this.event("response.output_item.done", {
            output_index: item.index,
            item: { type: "function_call", id: item.id, call_id: item.callId, name: item.name, arguments: item.text, status: "completed" },
          }),
        );
      }
    }
    const response = responseObject(this.meta, final);
    events.push(this.event(response.status === "incomplete" ? "response.incomplete" : "response.completed", { response }));
    return events;
  }

  /** After a relayed upstream event: what is built here next (an error) follows its numbering. */
  follow(sequence: unknown): void {
    if (typeof sequence === "number" && Number.isInteger(sequence)) this.seq = sequence + 1;
  }

  /** The `error` event of a stream that broke after it began. */
  error(code: string, message: string) {
    return this.event("error", { code, message, param: null });
  }
}
