import { z } from "zod";
import { AppError } from "@/lib/http/errors";
import type { ChatMessage, ChatParams, ContentPart, ToolCall } from "../chat";

/**
 * OpenAI's Responses API request (`POST /openai/v1/responses`, types: the `openai` SDK's
 * ResponseCreateParams), translated to the gateway's chat format: input items become messages
 * (function_call items an assistant message with tool_calls, function_call_output a tool
 * message), `instructions` a system message, `text.format` the response_format, function tools
 * chat tools. What chat cannot express (built-in tools, item references, background mode,
 * stored conversations) is refused with a 400 naming the field.
 */

const inputText = z.object({ type: z.literal("input_text"), text: z.string() });
const outputText = z.object({ type: z.literal("output_text"), text: z.string() }).loose();
const refusal = z.object({ type: z.literal("refusal"), refusal: z.string() });
const inputImage = z.object({
  type: z.literal("input_image"),
  image_url: z.string().nullish(),
  file_id: z.string().nullish(),
  detail: z.enum(["low", "high", "auto", "original"]).nullish(),
});
const inputFile = z.object({
  type: z.literal("input_file"),
  file_data: z.string().nullish(),
  file_id: z.string().nullish(),
  file_url: z.string().nullish(),
  filename: z.string().nullish(),
});
const contentPart = z.discriminatedUnion("type", [inputText, outputText, refusal, inputImage, inputFile]);

const messageItem = z.object({
  type: z.literal("message").optional(),
  role: z.enum(["user", "assistant", "system", "developer"]),
  content: z.union([z.string(), z.array(contentPart)]),
  id: z.string().nullish(),
  status: z.string().nullish(),
  phase: z.string().nullish(),
});
const functionCallItem = z.object({
  type: z.literal("function_call"),
  call_id: z.string().min(1),
  name: z.string().min(1),
  arguments: z.string(),
  id: z.string().nullish(),
  status: z.string().nullish(),
});
const functionOutputItem = z.object({
  type: z.literal("function_call_output"),
  call_id: z.string().min(1),
  output: z.union([z.string(), z.array(contentPart)]),
  id: z.string().nullish(),
  status: z.string().nullish(),
});
/** Reasoning items a client sends back are dropped: a chat upstream has no place for them. */
const reasoningItem = z.object({ type: z.literal("reasoning") }).loose();
const otherItem = z.object({ type: z.string() }).loose();
const inputItem = z.union([messageItem, functionCallItem, functionOutputItem, reasoningItem, otherItem]);

const functionTool = z.object({
  type: z.literal("function"),
  name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/, "tool names use letters, digits, _ and -, up to 64"),
  description: z.string().nullish(),
  parameters: z.record(z.string(), z.unknown()).nullish(),
  strict: z.boolean().nullish(),
});

const textFormat = z.discriminatedUnion("type", [
  z.object({ type: z.literal("text") }),
  z.object({ type: z.literal("json_object") }),
  z.object({
    type: z.literal("json_schema"),
    name: z.string().min(1),
    schema: z.record(z.string(), z.unknown()),
    description: z.string().nullish(),
    strict: z.boolean().nullish(),
  }),
]);

const cacheOption = z.strictObject({
  enabled: z.boolean().default(true),
  ttl_s: z
    .number()
    .int()
    .positive()
    .max(30 * 86_400)
    .optional(),
});

export const responsesRequestSchema = z.object({
  model: z.string().min(1, "model is required"),
  input: z.union([z.string(), z.array(inputItem)]).optional(),
  instructions: z.string().nullish(),
  previous_response_id: z.string().nullish(),
  tools: z.array(z.union([functionTool, z.object({ type: z.string() }).loose()])).nullish(),
  tool_choice: z
    .union([
      z.enum(["none", "auto", "required"]),
      z.object({ type: z.literal("function"), name: z.string() }),
      z.object({ type: z.string() }).loose(),
    ])
    .nullish(),
  parallel_tool_calls: z.boolean().nullish(),
  text: z.object({ format: textFormat.nullish(), verbosity: z.enum(["low", "medium", "high"]).nullish() }).nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  max_output_tokens: z.number().int().positive().nullish(),
  top_logprobs: z.number().int().min(0).max(20).nullish(),
  reasoning: z.object({ effort: z.string().nullish(), summary: z.string().nullish() }).loose().nullish(),
  metadata: z.record(z.string(), z.string()).nullish(),
  user: z.string().nullish(),
  store: z.boolean().nullish(),
  service_tier: z.string().nullish(),
  stream: z.boolean().nullish(),
  stream_options: z.object({ include_obfuscation: z.boolean().nullish() }).nullish(),
  include: z.array(z.string()).nullish(),
  truncation: z.enum(["auto", "disabled"]).nullish(),
  prompt_cache_key: z.string().nullish(),
  safety_identifier: z.string().nullish(),
  background: z.boolean().nullish(),
  conversation: z.unknown().optional(),
  prompt: z.unknown().optional(),
  llmops: z
    .strictObject({
      episode_id: z.uuid().optional(),
      variant: z.string().min(1).optional(),
      variables: z.record(z.string(), z.unknown()).optional(),
      tags: z.record(z.string().min(1).max(200), z.string().max(2000)).optional(),
      cache: cacheOption.optional(),
      dryrun: z.boolean().optional(),
    })
    .optional(),
});
export type ResponsesRequest = z.infer<typeof responsesRequestSchema>;

/** The `include` value asking for the output text's token logprobs. */
export const LOGPROBS_INCLUDE = "message.output_text.logprobs";

const refuse = (field: string, message: string) => new AppError("bad_request", `${field}: ${message}`, { field });

type Part = z.infer<typeof contentPart>;

/** A content list as chat content: text joins, images stay image parts, files become `file` parts. */
function chatContent(parts: string | Part[], field: string): string | ContentPart[] {
  if (typeof parts === "string") return parts;
  const out: ContentPart[] = [];
  for (const [i, part] of parts.entries()) {
    switch (part.type) {
      case "input_text":
      case "output_text":
        out.push({ type: "text", text: part.text });
        break;
      case "refusal":
        out.push({ type: "text", text: part.refusal });
        break;
      case "input_image":
        if (!part.image_url)
          throw refuse(`${field}[${i}].image_url`, "images by file_id are not served by this gateway; send a URL or a data: URL");
        out.push({ type: "image_url", image_url: { url: part.image_url, ...(part.detail ? { detail: part.detail } : {}) } });
        break;
      case "input_file":
        if (!part.file_data)
          throw refuse(`${field}[${i}].file_data`, "files by file_id or file_url are not served by this gateway; send file_data (base64)");
        out.push({ type: "file", file: { file_data: part.file_data, ...(part.filename ? { filename: part.filename } : {}) } });
        break;
    }
  }
  return out.length === 0 ? "" : out;
}

/** The input items as chat messages (consecutive function_call items join one assistant message). */
export function inputMessages(input: ResponsesRequest["input"]): ChatMessage[] {
  if (input === undefined) return [];
  if (typeof input === "string") return [{ role: "user", content: input }];
  const messages: ChatMessage[] = [];
  for (const [i, item] of input.entries()) {
    const field = `input[${i}]`;
    if (!("type" in item) || item.type === undefined || item.type === "message") {
      const parsed = messageItem.safeParse(item);
      if (!parsed.success) throw refuse(field, "a message item needs a role and content");
      const { role, content } = parsed.data;
      const converted = chatContent(content, `${field}.content`);
      messages.push(role === "assistant" ? { role, content: chatText(converted) } : { role, content: converted });
    } else if (item.type === "function_call") {
      const call = functionCallItem.parse(item);
      const toolCall: ToolCall = { id: call.call_id, type: "function", function: { name: call.name, arguments: call.arguments } };
      const last = messages[messages.length - 1];
      if (last?.role === "assistant") last.tool_calls = [...(last.tool_calls ?? []), toolCall];
      else messages.push({ role: "assistant", content: null, tool_calls: [toolCall] });
    } else if (item.type === "function_call_output") {
      const output = functionOutputItem.parse(item);
      messages.push({ role: "tool", tool_call_id: output.call_id, content: chatText(chatContent(output.output, `${field}.output`)) });
    } else if (item.type === "reasoning") {
      continue;
    } else {
      throw refuse(
        `${field}.type`,
        `"${item.type}" items are not served by this gateway (message, function_call, function_call_output and reasoning are)`,
      );
    }
  }
  return messages;
}

function chatText(content: string | ContentPart[]): string {
  if (typeof content === "string") return content;
  return content.map((p) => (p.type === "text" ? p.text : "")).join("");
}

/** Generation parameters in the chat format. */
export function chatParams(body: ResponsesRequest): ChatParams {
  for (const [field, set] of [
    ["background", body.background === true],
    ["conversation", body.conversation != null],
    ["prompt", body.prompt != null],
  ] as const) {
    if (set) throw refuse(field, "not served by this gateway (it keeps no server-side conversations or prompts; use previous_response_id)");
  }
  const tools = (body.tools ?? []).map((tool, i) => {
    const parsed = functionTool.safeParse(tool);
    if (!parsed.success) throw refuse(`tools[${i}].type`, `"${tool.type}" tools are not served by this gateway (only function tools are)`);
    const t = parsed.data;
    return {
      type: "function" as const,
      function: {
        name: t.name,
        ...(t.description ? { description: t.description } : {}),
        ...(t.parameters ? { parameters: t.parameters } : {}),
        ...(t.strict != null ? { strict: t.strict } : {}),
      },
    };
  });
  const choice = body.tool_choice;
  let toolChoice: ChatParams["tool_choice"];
  if (typeof choice === "string") toolChoice = choice;
  else if (choice && choice.type === "function" && typeof choice.name === "string")
    toolChoice = { type: "function", function: { name: choice.name } };
  else if (choice) throw refuse("tool_choice", `"${choice.type}" is not served by this gateway`);
  const format = body.text?.format;
  return {
    ...(body.temperature != null ? { temperature: body.temperature } : {}),
    ...(body.top_p != null ? { top_p: body.top_p } : {}),
    // OpenAI's current name, which its reasoning models require (mapped to max_tokens for Anthropic).
    ...(body.max_output_tokens != null ? { max_completion_tokens: body.max_output_tokens } : {}),
    ...(tools.length ? { tools } : {}),
    ...(toolChoice ? { tool_choice: toolChoice } : {}),
    ...(body.parallel_tool_calls != null ? { parallel_tool_calls: body.parallel_tool_calls } : {}),
    ...(body.user != null ? { user: body.user } : {}),
    ...(body.metadata != null ? { metadata: body.metadata } : {}),
    ...(body.store != null ? { store: body.store } : {}),
    ...(body.service_tier != null ? { service_tier: body.service_tier } : {}),
    ...(body.reasoning?.effort != null ? { reasoning_effort: body.reasoning.effort } : {}),
    // Token logprobs come back in the output_text parts when asked by `include` or `top_logprobs`.
    ...(body.top_logprobs || body.include?.includes(LOGPROBS_INCLUDE) ? { logprobs: true, top_logprobs: body.top_logprobs ?? 0 } : {}),
    ...(body.prompt_cache_key != null ? { prompt_cache_key: body.prompt_cache_key } : {}),
    ...(body.safety_identifier != null ? { safety_identifier: body.safety_identifier } : {}),
    ...(body.text?.verbosity != null ? { verbosity: body.text.verbosity } : {}),
    ...(format && format.type !== "text"
      ? {
          response_format:
            format.type === "json_object"
              ? { type: "json_object" as const }
              : {
                  type: "json_schema" as const,
                  json_schema: {
                    name: format.name,
                    schema: format.schema,
                    ...(format.strict != null ? { strict: format.strict } : {}),
                    ...(format.description ? { description: format.description } : {}),
                  },
                },
        }
      : {}),
  };
}
