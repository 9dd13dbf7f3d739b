import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { OTLPTraceExporter as HttpJsonExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { OTLPTraceExporter as ProtoExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { CompressionAlgorithm } from "@opentelemetry/otlp-exporter-base";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BasicTracerProvider, SimpleSpanProcessor, type SpanExporter } from "@opentelemetry/sdk-trace-base";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { describeTracking } from "@/db/test/tracking";
import { invokeTraceApi } from "@/lib/mlflow/trace-api.server";
import type { TrackingContext } from "@/lib/tracking/context";
import { startOtlpServer } from "./testing/otlp-server";

/** Real OpenTelemetry exporters (OTLP/protobuf and OTLP/JSON, gzip) send GenAI-convention spans. */
async function mlflow(ctx: TrackingContext, method: string, path: string, body?: unknown) {
  const url = new URL(`http://mlflow.test${path}`);
  let init: RequestInit = { method };
  if (method === "GET" && body)
    for (const [k, v] of Object.entries(body)) for (const item of [v].flat()) url.searchParams.append(k, String(item));
  else if (body !== undefined) init = { method, headers: { "content-type": "application/json" }, body: JSON.stringify(body) };
  const version = path.startsWith("/api/3.0") ? "3.0" : "2.0";
  const res = await invokeTraceApi(version, new Request(url, init), ctx);
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

const traceInfo = z.object({
  trace_id: z.string(),
  state: z.string(),
  request_preview: z.string().optional(),
  response_preview: z.string().optional(),
  trace_metadata: z.record(z.string(), z.string()),
  tags: z.record(z.string(), z.string()),
});
const otlpSpan = z.object({
  name: z.string(),
  span_id: z.string(),
  parent_span_id: z.string(),
  attributes: z.array(z.object({ key: z.string(), value: z.object({ string_value: z.string() }) })),
});
const fullTrace = z.object({ trace: z.object({ trace_info: traceInfo, spans: z.array(otlpSpan) }) });

function sendGenAiTrace(exporter: SpanExporter, names: "old" | "new", session: string) {
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ "service.name": "support-bot" }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer("test");
  const root = tracer.startSpan("invoke_agent support", {
    kind: SpanKind.SERVER,
    attributes: { "gen_ai.operation.name": "invoke_agent", "gen_ai.conversation.id": session, "user.id": "ada" },
  });
  const parent = trace.setSpan(ROOT_CONTEXT, root);
  const llm = tracer.startSpan(
    "chat gpt-4o-mini",
    {
      kind: SpanKind.CLIENT,
      attributes:
        names === "new"
          ? {
              "gen_ai.operation.name": "chat",
              "gen_ai.request.model": "gpt-4o-mini",
              "gen_ai.usage.input_tokens": 12,
              "gen_ai.usage.output_tokens": 8,
              "gen_ai.input.messages": JSON.stringify([{ role: "user", parts: [{ type: "text", content: "Where is my order?" }] }]),
              "gen_ai.output.messages": JSON.stringify([{ role: "assistant", parts: [{ type: "text", content: "On its way." }] }]),
            }
          : {
              "gen_ai.system": "openai",
              "gen_ai.request.model": "gpt-4o-mini",
              "gen_ai.usage.prompt_tokens": 12,
              "gen_ai.usage.completion_tokens": 8,
            },
    },
    parent,
  );
  if (names === "old") {
    llm.addEvent("gen_ai.content.prompt", { "gen_ai.prompt": JSON.stringify([{ role: "user", content: "Where is my order?" }]) });
    llm.addEvent("gen_ai.content.completion", { "gen_ai.completion": JSON.stringify([{ role: "assistant", content: "On its way." }]) });
  }
  llm.end();
  const tool = tracer.startSpan(
    "execute_tool lookup",
    { attributes: { "gen_ai.operation.name": "execute_tool", "gen_ai.tool.name": "lookup" } },
    parent,
  );
  tool.setStatus({ code: SpanStatusCode.ERROR, message: "order service timed out" });
  tool.end();
  root.setStatus({ code: SpanStatusCode.OK });
  root.end();
  return { provider, traceId: root.spanContext().traceId };
}

describeTracking("OTLP ingestion from real exporters", (stores) => {
  let server: Awaited<ReturnType<typeof startOtlpServer>> | undefined;
  let experimentId = "";
  beforeAll(async () => {
    server = await startOtlpServer(stores().ctx);
    const created = await stores().client.ok(
      "POST",
      "/experiments/create",
      { name: `otlp-${Date.now()}` },
      z.object({ experiment_id: z.string() }),
    );
    experimentId = created.experiment_id;
  });
  afterAll(async () => server?.close());

  const exporters = {
    "OTLP/protobuf": () => new ProtoExporter({ url: `${server?.url}/v1/traces`, headers: { "x-mlflow-experiment-id": experimentId } }),
    "OTLP/JSON with gzip": () =>
      new HttpJsonExporter({
        url: `${server?.url}/v1/traces`,
        headers: { "x-mlflow-experiment-id": experimentId },
        compression: CompressionAlgorithm.GZIP,
      }),
  };

  describe.each([
    ["OTLP/protobuf", "new"],
    ["OTLP/JSON with gzip", "old"],
  ] as const)("%s with %s GenAI attribute names", (kind, names) => {
    it("stores the span tree and reads GenAI usage, messages, session and user", async () => {
      // Both Postgres backends share this file's ClickHouse (and number experiments alike): unique session.
      const session = `conv-${names}-${Math.random().toString(36).slice(2)}`;
      const { provider, traceId } = sendGenAiTrace(exporters[kind](), names, session);
      await provider.forceFlush();
      await provider.shutdown();

      const { status, json } = await mlflow(stores().ctx, "GET", "/api/3.0/mlflow/traces/get", { trace_id: `tr-${traceId}` });
      expect(status, JSON.stringify(json)).toBe(200);
      const { trace: got } = fullTrace.parse(json);
      expect(got.trace_info).toMatchObject({ trace_id: `tr-${traceId}`, state: "OK" });
      expect(got.trace_info.tags["mlflow.trace.spansLocation"]).toBe("TRACKING_STORE");
      expect(got.trace_info.trace_metadata["mlflow.trace.session"]).toBe(session);
      expect(got.trace_info.trace_metadata["mlflow.trace.user"]).toBe("ada");
      expect(JSON.parse(got.trace_info.trace_metadata["mlflow.trace.tokenUsage"] ?? "{}")).toEqual({
        input_tokens: 12,
        output_tokens: 8,
        total_tokens: 20,
      });
      expect(got.spans.map((s) => s.name).sort()).toEqual(["chat gpt-4o-mini", "execute_tool lookup", "invoke_agent support"]);
      const root = got.spans.find((s) => s.name === "invoke_agent support");
      const llm = got.spans.find((s) => s.name === "chat gpt-4o-mini");
      expect(root?.parent_span_id).toBe("");
      expect(llm?.parent_span_id).toBe(root?.span_id);
      const attr = (key: string) => llm?.attributes.find((a) => a.key === key)?.value.string_value;
      expect(JSON.parse(attr("mlflow.spanType") ?? "null")).toBe(names === "new" ? "CHAT_MODEL" : "LLM");
      expect(JSON.stringify(JSON.parse(attr("mlflow.spanInputs") ?? "null"))).toContain("Where is my order?");
      expect(JSON.stringify(JSON.parse(attr("mlflow.spanOutputs") ?? "null"))).toContain("On its way.");
      expect(JSON.parse(attr("gen_ai.request.model") ?? "null")).toBe("gpt-4o-mini");

      const search = await mlflow(stores().ctx, "POST", "/api/3.0/mlflow/traces/search", {
        locations: [{ type: "MLFLOW_EXPERIMENT", mlflow_experiment: { experiment_id: experimentId } }],
        filter: `metadata.\`mlflow.trace.session\` = '${session}'`,
      });
      expect(search.status).toBe(200);
      expect(
        z
          .object({ traces: z.array(traceInfo) })
          .parse(search.json)
          .traces.map((t) => t.trace_id),
      ).toEqual([`tr-${traceId}`]);
    });
  });

  it("answers what is wrong with a bad request, in OTLP's error format", async () => {
    const post = (headers: Record<string, string>, body: BodyInit) => fetch(`${server?.url}/v1/traces`, { method: "POST", headers, body });
    const missing = await post({ "content-type": "application/json" }, "{}");
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { message: string }).message).toContain("x-mlflow-experiment-id");
    const wrongType = await post({ "content-type": "text/plain", "x-mlflow-experiment-id": experimentId }, "hi");
    expect(wrongType.status).toBe(415);
    const garbage = await post(
      { "content-type": "application/x-protobuf", "x-mlflow-experiment-id": experimentId },
      new Uint8Array([0xff, 0xff, 0xff]),
    );
    expect(garbage.status).toBe(400);
    const badJson = await post(
      { "content-type": "application/json", "x-mlflow-experiment-id": experimentId },
      JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: "xyz", spanId: "0000000000000001", name: "a" }] }] }] }),
    );
    expect(badJson.status).toBe(400);
    expect(((await badJson.json()) as { message: string }).message).toMatch(/traceId must be a non-zero 16-byte id/);
    const unknownExperiment = await post(
      { "content-type": "application/json", "x-mlflow-experiment-id": "987654" },
      JSON.stringify(spanJson()),
    );
    expect(unknownExperiment.status).toBe(404);
    const gzipLie = await post(
      { "content-type": "application/json", "content-encoding": "gzip", "x-mlflow-experiment-id": experimentId },
      "not gzip",
    );
    expect(gzipLie.status).toBe(400);
  });
});

function spanJson() {
  return {
    resourceSpans: [
      {
        scopeSpans: [
          {
            spans: [
              {
                traceId: "0af7651916cd43dd8448eb211c80319c",
                spanId: "b7ad6b7169203331",
                name: "a",
                startTimeUnixNano: "1",
                endTimeUnixNano: "2",
              },
            ],
          },
        ],
      },
    ],
  };
}
