import type { OtlpSpan } from "./otlp";

/**
 * What a span means, read from the attribute conventions senders use: MLflow's own (`mlflow.*`,
 * values JSON-encoded), OpenTelemetry GenAI (`gen_ai.*`, both the 1.36-and-earlier names such as
 * `gen_ai.usage.prompt_tokens`, `gen_ai.prompt` and the `gen_ai.content.*` events, and the newer
 * `gen_ai.usage.input_tokens`, `gen_ai.input.messages`, `gen_ai.output.messages`) and
 * OpenInference (`llm.*`, `input.value`, `openinference.span.kind`). First match wins, MLflow first.
 */
export interface SpanMeaning {
  spanType: string;
  /** JSON text of the span's inputs / outputs ("" when none is recorded). */
  inputs: string;
  outputs: string;
  model: string;
  inputTokens: number;
  outputTokens: number;
  cost: number;
  sessionId: string;
  userId: string;
  /** Every attribute as JSON text, the form MLflow clients read back. */
  attributes: Record<string, string>;
}

/** MLflow's Python client JSON-encodes every attribute value; a span of it carries this key. */
const MLFLOW_MARKER = "mlflow.traceRequestId";

function decodeJsonText(value: unknown): unknown {
  if (typeof value !== "string") return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

const asNumber = (value: unknown): number | undefined => {
  const n = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  return typeof n === "number" && Number.isFinite(n) && n >= 0 ? n : undefined;
};
const asText = (value: unknown): string | undefined =>
  typeof value === "string" && value !== "" ? value : typeof value === "number" ? String(value) : undefined;
const json = (value: unknown): string => (value === undefined || value === null ? "" : JSON.stringify(value));

/** OpenInference flattens lists as `prefix.0.message.role`; rebuilds `[{role, content}, …]`. */
function flattenedMessages(attrs: Record<string, unknown>, prefix: string): { role?: unknown; content?: unknown }[] | undefined {
  const byIndex = new Map<number, Record<string, unknown>>();
  for (const [key, value] of Object.entries(attrs)) {
    if (!key.startsWith(`${prefix}.`)) continue;
    const match = /^(\d+)\.(?:message\.)?(.+)$/.exec(key.slice(prefix.length + 1));
    if (!match) continue;
    const i = Number(match[1]);
    const entry = byIndex.get(i) ?? {};
    entry[match[2] ?? ""] = value;
    byIndex.set(i, entry);
  }
  if (byIndex.size === 0) return undefined;
  return [...byIndex.entries()].sort(([a], [b]) => a - b).map(([, m]) => m);
}

const SPAN_TYPES: Record<string, string> = {
  chat: "CHAT_MODEL",
  text_completion: "LLM",
  generate_content: "LLM",
  embeddings: "EMBEDDING",
  execute_tool: "TOOL",
  invoke_agent: "AGENT",
  create_agent: "AGENT",
  LLM: "LLM",
  EMBEDDING: "EMBEDDING",
  CHAIN: "CHAIN",
  RETRIEVER: "RETRIEVER",
  RERANKER: "RERANKER",
  TOOL: "TOOL",
  AGENT: "AGENT",
  GUARDRAIL: "GUARDRAIL",
  EVALUATOR: "EVALUATOR",
};

function eventMessages(span: OtlpSpan): { inputs?: unknown; outputs?: unknown } {
  const inputs: unknown[] = [];
  const outputs: unknown[] = [];
  for (const event of span.events) {
    const a = event.attributes;
    if (event.name === "gen_ai.client.inference.operation.details") {
      if (a["gen_ai.input.messages"] !== undefined) inputs.push(...[decodeJsonText(a["gen_ai.input.messages"])].flat());
      if (a["gen_ai.output.messages"] !== undefined) outputs.push(...[decodeJsonText(a["gen_ai.output.messages"])].flat());
    } else if (event.name === "gen_ai.content.prompt" && a["gen_ai.prompt"] !== undefined) inputs.push(decodeJsonText(a["gen_ai.prompt"]));
    else if (event.name === "gen_ai.content.completion" && a["gen_ai.completion"] !== undefined)
      outputs.push(decodeJsonText(a["gen_ai.completion"]));
    else if (/^gen_ai\.(system|user|assistant|tool)\.message$/.test(event.name)) {
      inputs.push({
        role: a["gen_ai.message.role"] ?? event.name.split(".")[1],
        content: decodeJsonText(a.content ?? a["gen_ai.event.content"]),
      });
    } else if (event.name === "gen_ai.choice") outputs.push(decodeJsonText(a.message ?? a["gen_ai.event.content"] ?? a));
  }
  return { inputs: inputs.length ? inputs : undefined, outputs: outputs.length ? outputs : undefined };
}

export function readSpan(span: OtlpSpan): SpanMeaning {
  const fromMlflow = span.attributes[MLFLOW_MARKER] !== undefined;
  // Values as the sender meant them: MLflow's are JSON text, everyone else's are plain.
  const a: Record<string, unknown> = {};
  const attributes: Record<string, string> = {};
  for (const [key, raw] of Object.entries(span.attributes)) {
    const value = fromMlflow ? decodeJsonText(raw) : raw;
    a[key] = value;
    // MLflow's inputs and outputs live in their own columns (and are given back under these keys).
    if (key !== "mlflow.spanInputs" && key !== "mlflow.spanOutputs")
      attributes[key] = fromMlflow && typeof raw === "string" ? raw : JSON.stringify(value);
  }
  const hasPrefix = (prefix: string) => Object.keys(a).some((k) => k.startsWith(prefix));
  const flattened = (prefix: string) => (hasPrefix(`${prefix}.0.`) ? flattenedMessages(a, prefix) : undefined);
  const events = span.events.length ? eventMessages(span) : {};
  const value = (key: string, mime?: string) =>
    a[key] !== undefined && (mime === undefined || a[mime] === "application/json") ? decodeJsonText(a[key]) : a[key];
  // Candidates are tried lazily, in order: most spans stop at the first one or two.
  const first = (...candidates: (() => unknown)[]) => {
    for (const candidate of candidates) {
      const v = candidate();
      if (v !== undefined && v !== null && v !== "") return v;
    }
    return undefined;
  };

  const lazy = (...values: unknown[]) => values.map((v) => () => v);
  const usage = a["mlflow.chat.tokenUsage"];
  const usageObj = typeof usage === "object" && usage !== null ? (usage as Record<string, unknown>) : {};
  const cost = a["mlflow.llm.cost"];
  const costObj = typeof cost === "object" && cost !== null ? (cost as Record<string, unknown>) : {};

  const inputs = first(
    () => a["mlflow.spanInputs"],
    () => decodeJsonText(a["gen_ai.input.messages"]),
    () => decodeJsonText(a["gen_ai.prompt"]),
    () => flattened("gen_ai.prompt"),
    () => flattened("llm.input_messages"),
    () => events.inputs,
    () => value("input.value", "input.mime_type"),
    () => decodeJsonText(a["gen_ai.tool.call.arguments"]),
  );
  const outputs = first(
    () => a["mlflow.spanOutputs"],
    () => decodeJsonText(a["gen_ai.output.messages"]),
    () => decodeJsonText(a["gen_ai.completion"]),
    () => flattened("gen_ai.completion"),
    () => flattened("llm.output_messages"),
    () => events.outputs,
    () => value("output.value", "output.mime_type"),
    () => decodeJsonText(a["gen_ai.tool.call.result"]),
  );
  const operation = asText(
    first(
      () => a["mlflow.spanType"],
      () => a["openinference.span.kind"],
      () => a["gen_ai.operation.name"],
    ),
  );
  const hasGenAi = !operation && (hasPrefix("gen_ai.") || hasPrefix("llm."));

  return {
    spanType: operation ? (SPAN_TYPES[operation] ?? operation) : hasGenAi ? "LLM" : "UNKNOWN",
    inputs: json(inputs),
    outputs: json(outputs),
    model:
      asText(
        first(
          () => a["mlflow.llm.model"],
          () => a["gen_ai.response.model"],
          () => a["gen_ai.request.model"],
          () => a["llm.model_name"],
        ),
      ) ?? "",
    inputTokens: Math.round(
      asNumber(
        first(...lazy(usageObj.input_tokens, a["gen_ai.usage.input_tokens"], a["gen_ai.usage.prompt_tokens"], a["llm.token_count.prompt"])),
      ) ?? 0,
    ),
    outputTokens: Math.round(
      asNumber(
        first(
          ...lazy(
            usageObj.output_tokens,
            a["gen_ai.usage.output_tokens"],
            a["gen_ai.usage.completion_tokens"],
            a["llm.token_count.completion"],
          ),
        ),
      ) ?? 0,
    ),
    cost:
      asNumber(
        first(
          () => costObj.total_cost,
          () => a["gen_ai.usage.cost"],
          () => a["llm.cost.total"],
        ),
      ) ?? 0,
    sessionId:
      asText(
        first(
          () => a["mlflow.trace.session"],
          () => a["session.id"],
          () => a["gen_ai.conversation.id"],
        ),
      ) ?? "",
    userId:
      asText(
        first(
          () => a["mlflow.trace.user"],
          () => a["user.id"],
          () => a["enduser.id"],
        ),
      ) ?? "",
    attributes,
  };
}
