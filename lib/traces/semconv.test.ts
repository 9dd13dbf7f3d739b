import { describe, expect, it } from "vitest";
import type { OtlpSpan } from "./otlp";
import { readSpan } from "./semconv";

const span = (attributes: Record<string, unknown>, events: OtlpSpan["events"] = []): OtlpSpan => ({
  traceId: "0af7651916cd43dd8448eb211c80319c",
  spanId: "b7ad6b7169203331",
  parentSpanId: "",
  name: "s",
  kind: 1,
  startTimeUnixNano: 1n,
  endTimeUnixNano: 2n,
  attributes,
  events,
  statusCode: 0,
  statusMessage: "",
  serviceName: "",
});

describe("readSpan", () => {
  it("reads the GenAI conventions' newer names", () => {
    const m = readSpan(
      span({
        "gen_ai.operation.name": "chat",
        "gen_ai.request.model": "gpt-4o",
        "gen_ai.response.model": "gpt-4o-2024-08-06",
        "gen_ai.usage.input_tokens": 12,
        "gen_ai.usage.output_tokens": 8,
        "gen_ai.input.messages": '[{"role":"user","parts":[{"type":"text","content":"hi"}]}]',
        "gen_ai.output.messages": [{ role: "assistant", parts: [] }],
        "gen_ai.conversation.id": "c1",
      }),
    );
    expect(m).toMatchObject({ spanType: "CHAT_MODEL", model: "gpt-4o-2024-08-06", inputTokens: 12, outputTokens: 8, sessionId: "c1" });
    expect(JSON.parse(m.inputs)).toEqual([{ role: "user", parts: [{ type: "text", content: "hi" }] }]);
    expect(JSON.parse(m.outputs)).toEqual([{ role: "assistant", parts: [] }]);
  });

  it("reads the older names, flattened prompts and content events", () => {
    const flat = readSpan(
      span({
        "gen_ai.usage.prompt_tokens": 5,
        "gen_ai.usage.completion_tokens": "2",
        "gen_ai.prompt.0.role": "user",
        "gen_ai.prompt.0.content": "q",
      }),
    );
    expect(flat).toMatchObject({ spanType: "LLM", inputTokens: 5, outputTokens: 2 });
    expect(JSON.parse(flat.inputs)).toEqual([{ role: "user", content: "q" }]);
    const events = readSpan(
      span({ "gen_ai.system": "openai" }, [
        { name: "gen_ai.content.prompt", timeUnixNano: "1", attributes: { "gen_ai.prompt": '[{"role":"user","content":"q"}]' } },
        { name: "gen_ai.content.completion", timeUnixNano: "2", attributes: { "gen_ai.completion": "a" } },
      ]),
    );
    expect(JSON.parse(events.inputs)).toEqual([[{ role: "user", content: "q" }]]);
    expect(JSON.parse(events.outputs)).toEqual(["a"]);
  });

  it("reads OpenInference's llm.* and input/output values", () => {
    const m = readSpan(
      span({
        "openinference.span.kind": "RETRIEVER",
        "input.value": '{"query":"x"}',
        "input.mime_type": "application/json",
        "output.value": "docs",
        "llm.model_name": "m",
        "llm.token_count.prompt": 3,
        "llm.token_count.completion": 4,
        "llm.cost.total": 0.01,
        "session.id": "s",
        "user.id": "u",
      }),
    );
    expect(m).toMatchObject({
      spanType: "RETRIEVER",
      model: "m",
      inputTokens: 3,
      outputTokens: 4,
      cost: 0.01,
      sessionId: "s",
      userId: "u",
    });
    expect(JSON.parse(m.inputs)).toEqual({ query: "x" });
    expect(JSON.parse(m.outputs)).toBe("docs");
  });

  it("keeps MLflow's JSON-encoded attributes as sent and reads its usage and cost", () => {
    const m = readSpan(
      span({
        "mlflow.traceRequestId": '"tr-0af7651916cd43dd8448eb211c80319c"',
        "mlflow.spanType": '"CHAT_MODEL"',
        "mlflow.spanInputs": '{"messages": []}',
        "mlflow.chat.tokenUsage": '{"input_tokens": 9, "output_tokens": 1, "total_tokens": 10}',
        "mlflow.llm.cost": '{"input_cost": 0.1, "output_cost": 0.2, "total_cost": 0.3}',
        note: '"hello"',
      }),
    );
    expect(m).toMatchObject({ spanType: "CHAT_MODEL", inputTokens: 9, outputTokens: 1, cost: 0.3 });
    expect(m.attributes.note).toBe('"hello"');
    expect(m.inputs).toBe('{"messages":[]}');
  });

  it("JSON-encodes the plain attributes of other senders", () => {
    expect(readSpan(span({ flag: true, n: 2, s: "x" })).attributes).toEqual({ flag: "true", n: "2", s: '"x"' });
    expect(readSpan(span({})).spanType).toBe("UNKNOWN");
  });
});
