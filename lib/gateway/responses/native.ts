import type { ChatMessage, ChatRequest, ContentPart } from "../chat";
import type { InferenceInput } from "../plan.server";

/**
 * The native Responses pass-through (providers with `api = "responses"`): the client's own
 * Responses body goes upstream, with what the gateway adds. Per attempt: the upstream model name,
 * the chosen variant's rendered prompt as message items before the client's input (the same
 * messages a chat provider would get), the variant's parameters where the client set none, and
 * the recorded conversation of `previous_response_id` as items (the upstream never saw our ids).
 */

/** The client's Responses body, less the gateway's fields, with `input` as a list of items. */
export interface NativeResponsesBody {
  input: unknown[];
  [key: string]: unknown;
}

function itemContent(content: ChatMessage["content"], role: string): string | Record<string, unknown>[] {
  if (content == null) return "";
  if (typeof content === "string") return content;
  const text = role === "assistant" ? "output_text" : "input_text";
  return content.flatMap((part: ContentPart): Record<string, unknown>[] => {
    switch (part.type) {
      case "text":
        return [{ type: text, text: part.text }];
      case "image_url":
        return [{ type: "input_image", image_url: part.image_url.url, detail: part.image_url.detail ?? "auto" }];
      case "file":
        return [{ type: "input_file", ...part.file }];
      case "input_audio":
        return []; // the Responses API takes no audio input
    }
  });
}

/** Chat messages as Responses input items (tool calls as function_call items, tool answers as their outputs). */
export function chatToItems(messages: ChatMessage[]): unknown[] {
  const items: unknown[] = [];
  for (const m of messages) {
    if (m.role === "tool") {
      const output = itemContent(m.content, "tool");
      items.push({
        type: "function_call_output",
        call_id: m.tool_call_id,
        output: typeof output === "string" ? output : output.map((p) => p.text ?? "").join(""),
      });
      continue;
    }
    if (m.role !== "assistant" || m.content) items.push({ type: "message", role: m.role, content: itemContent(m.content, m.role) });
    if (m.role === "assistant")
      for (const call of m.tool_calls ?? [])
        items.push({ type: "function_call", call_id: call.id, name: call.function.name, arguments: call.function.arguments });
  }
  return items;
}

/** The body one attempt sends: `request` is the candidate's rendered chat request (upstream model name set). */
export function nativeRequestBody(input: InferenceInput, native: NativeResponsesBody, request: ChatRequest): Record<string, unknown> {
  // The plan put the variant's prompt first, then `instructions`, then the input's messages.
  const own = (input.messages?.length ?? 0) + (input.instructions ? 1 : 0);
  const prompt = request.messages.slice(0, Math.max(0, request.messages.length - own));
  const body: Record<string, unknown> = { ...native, model: request.model, input: [...chatToItems(prompt), ...native.input] };
  const maxTokens = request.max_completion_tokens ?? request.max_tokens;
  if (body.temperature == null && request.temperature !== undefined) body.temperature = request.temperature;
  if (body.top_p == null && request.top_p !== undefined) body.top_p = request.top_p;
  if (body.max_output_tokens == null && maxTokens !== undefined) body.max_output_tokens = maxTokens;
  const text = (body.text ?? {}) as Record<string, unknown>;
  if (text.format == null && request.response_format?.type === "json_object") body.text = { ...text, format: { type: "json_object" } };
  return body;
}
