/**
 * Reading the stored input and output JSON of an inference for display. Everything comes back as
 * plain text for React to render as text (never as HTML); anything unexpected falls back to the
 * raw JSON rather than being dropped.
 */
export interface Message {
  role: string;
  text: string;
}

export interface ParsedInput {
  messages: Message[];
  /** Template variables, params and anything else besides messages, as pretty JSON; "" if none. */
  extra: string;
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Text of an OpenAI message content: a string, or parts of which text parts are kept and others summarised. */
export function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (content === null || content === undefined) return "";
  if (Array.isArray(content)) {
    return content
      .map((part) => {
        if (isRecord(part) && part.type === "text" && typeof part.text === "string") return part.text;
        if (isRecord(part) && typeof part.type === "string") return `[${part.type}]`;
        return JSON.stringify(part);
      })
      .join("\n");
  }
  return JSON.stringify(content, null, 2);
}

/**
 * Messages and the rest (variables, params) of an inference input or a model call request; a
 * function call may carry only variables, rendered into messages by the variant's prompt.
 * Undefined when the text is not a JSON object.
 */
export function parseInput(input: string): ParsedInput | undefined {
  const value = tryJson(input);
  if (!isRecord(value)) return undefined;
  const raw: unknown[] = Array.isArray(value.messages) ? value.messages : [];
  const messages = raw.map((m): Message => {
    if (!isRecord(m)) return { role: "?", text: JSON.stringify(m) };
    const calls = Array.isArray(m.tool_calls) ? `\n${JSON.stringify(m.tool_calls, null, 2)}` : "";
    return { role: typeof m.role === "string" ? m.role : "?", text: contentText(m.content) + calls };
  });
  const rest = Object.fromEntries(Object.entries(value).filter(([k]) => k !== "messages"));
  return { messages, extra: Object.keys(rest).length ? JSON.stringify(rest, null, 2) : "" };
}

export interface ParsedOutput {
  text: string;
  toolCalls: string;
  finishReason: string;
}

export function parseOutput(output: string): ParsedOutput | undefined {
  const value = tryJson(output);
  if (!isRecord(value)) return undefined;
  return {
    text: contentText(value.content),
    toolCalls: Array.isArray(value.tool_calls) && value.tool_calls.length ? JSON.stringify(value.tool_calls, null, 2) : "",
    finishReason: typeof value.finish_reason === "string" ? value.finish_reason : "",
  };
}

/** Pretty JSON when the text is JSON, else the text itself. */
export function prettyJson(text: string): string {
  const value = tryJson(text);
  return value === undefined ? text : JSON.stringify(value, null, 2);
}
