import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { describeTracking } from "@/db/test/tracking";
import { invokeTraceApi } from "@/lib/mlflow/trace-api.server";
import type { TrackingContext } from "@/lib/tracking/context";
import { handleOtlpTraces } from "./ingest.server";

/**
 * MLflow 3's trace REST semantics (service.proto, mlflow/server/handlers.py) as its Python client
 * drives them: spans over OTLP (`log_spans`), then StartTraceV3, GetTrace/BatchGetTraces, search,
 * tags, run links, deletion, the v2 fallbacks and assessments (`mlflow.log_feedback`).
 */
async function call(ctx: TrackingContext, method: string, path: string, body?: Record<string, unknown>) {
  const url = new URL(`http://mlflow.test${path}`);
  let init: RequestInit = { method };
  if (method === "GET" && body)
    for (const [k, v] of Object.entries(body)) for (const item of [v].flat()) url.searchParams.append(k, String(item));
  else if (body !== undefined) init = { method, headers: { "content-type": "application/json" }, body: JSON.stringify(body) };
  const res = await invokeTraceApi(path.startsWith("/api/3.0") ? "3.0" : "2.0", new Request(url, init), ctx);
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

const hex = (n: number) => randomBytes(n).toString("hex");
const attr = (key: string, value: unknown) => ({ key, value: { stringValue: JSON.stringify(value) } });

/** The OTLP/JSON the MLflow client's span logging sends: every attribute value JSON-encoded. */
function mlflowSpans(traceHex: string, rootId: string, childId: string, startMs: number) {
  const ns = (ms: number) => `${BigInt(ms) * 1_000_000n}`;
  const base = [attr("mlflow.traceRequestId", `tr-${traceHex}`)];
  return {
    resourceSpans: [
      {
        resource: { attributes: [{ key: "service.name", value: { stringValue: "agent" } }] },
        scopeSpans: [
          {
            spans: [
              {
                traceId: traceHex,
                spanId: rootId,
                name: "predict",
                startTimeUnixNano: ns(startMs),
                endTimeUnixNano: ns(startMs + 250),
                status: { code: 1 },
                attributes: [
                  ...base,
                  attr("mlflow.spanType", "CHAIN"),
                  attr("mlflow.spanInputs", { question: "What is MLflow?" }),
                  attr("mlflow.spanOutputs", "An ML platform."),
                ],
              },
              {
                traceId: traceHex,
                spanId: childId,
                parentSpanId: rootId,
                name: "ChatOpenAI",
                startTimeUnixNano: ns(startMs + 10),
                endTimeUnixNano: ns(startMs + 200),
                status: { code: 1 },
                attributes: [
                  ...base,
                  attr("mlflow.spanType", "CHAT_MODEL"),
                  attr("mlflow.chat.tokenUsage", { input_tokens: 30, output_tokens: 12, total_tokens: 42 }),
                  attr("mlflow.llm.cost", { input_cost: 0.0003, output_cost: 0.0006, total_cost: 0.0009 }),
                  attr("custom", { nested: [1, 2] }),
                ],
              },
            ],
          },
        ],
      },
    ],
  };
}

const traceInfo = z.object({
  trace_id: z.string(),
  client_request_id: z.string().optional(),
  trace_location: z.object({ type: z.literal("MLFLOW_EXPERIMENT"), mlflow_experiment: z.object({ experiment_id: z.string() }) }),
  request_preview: z.string().optional(),
  response_preview: z.string().optional(),
  request_time: z.string(),
  execution_duration: z.string(),
  state: z.string(),
  trace_metadata: z.record(z.string(), z.string()),
  tags: z.record(z.string(), z.string()),
  assessments: z.array(z.record(z.string(), z.unknown())).optional(),
});
const spanSchema = z.object({
  trace_id: z.string(),
  span_id: z.string(),
  parent_span_id: z.string(),
  name: z.string(),
  start_time_unix_nano: z.string(),
  end_time_unix_nano: z.string(),
  status: z.object({ code: z.string() }),
  attributes: z.array(z.object({ key: z.string(), value: z.object({ string_value: z.string() }) })),
});
const traceSchema = z.object({ trace_info: traceInfo, spans: z.array(spanSchema).optional() });
const errorSchema = z.object({ error_code: z.string(), message: z.string() });

describeTracking("MLflow 3 traces API", (stores) => {
  let experimentId = "";
  let runId = "";
  const traceHex = hex(16);
  const rootId = hex(8);
  const childId = hex(8);
  const traceId = `tr-${traceHex}`;
  const startMs = Date.UTC(2026, 10, 20, 12, 0, 0);

  beforeAll(async () => {
    const { ctx, client } = stores();
    // Both Postgres backends number experiments alike and share this file's ClickHouse: take an
    // experiment id no trace uses yet.
    for (;;) {
      experimentId = (await client.ok("POST", "/experiments/create", { name: `traces-${hex(4)}` }, z.object({ experiment_id: z.string() })))
        .experiment_id;
      const used = await ctx.clickhouse.query({
        query: "SELECT count() AS n FROM traces WHERE experiment_id = {e:String}",
        query_params: { e: experimentId },
        format: "JSON",
      });
      if (z.coerce.number().parse(z.object({ data: z.array(z.object({ n: z.unknown() })) }).parse(await used.json()).data[0]?.n) === 0)
        break;
    }
    const run = await client.ok(
      "POST",
      "/runs/create",
      { experiment_id: experimentId },
      z.object({ run: z.object({ info: z.object({ run_id: z.string() }) }) }),
    );
    runId = run.run.info.run_id;
    const otlp = await handleOtlpTraces(
      new Request("http://mlflow.test/v1/traces", {
        method: "POST",
        headers: { "content-type": "application/json", "x-mlflow-experiment-id": experimentId },
        body: JSON.stringify(mlflowSpans(traceHex, rootId, childId, startMs)),
      }),
      ctx,
    );
    expect(otlp.status).toBe(200);
  });

  it("StartTraceV3 records the client's trace info and tells it the spans are in the tracking store", async () => {
    const { status, json } = await call(stores().ctx, "POST", "/api/3.0/mlflow/traces", {
      trace: {
        trace_info: {
          trace_id: traceId,
          client_request_id: "req-1",
          trace_location: { type: "MLFLOW_EXPERIMENT", mlflow_experiment: { experiment_id: experimentId } },
          request_preview: '{"question": "What is MLflow?"}',
          response_preview: '"An ML platform."',
          request_time: new Date(startMs).toISOString(),
          execution_duration: "0.250s",
          state: "OK",
          trace_metadata: { "mlflow.sourceRun": runId, "mlflow.trace_schema.version": "3", "mlflow.trace.user": "grace" },
          tags: { env: "prod", "mlflow.traceName": "predict" },
        },
      },
    });
    expect(status, JSON.stringify(json)).toBe(200);
    const info = z.object({ trace: traceSchema }).parse(json).trace.trace_info;
    expect(info).toMatchObject({
      trace_id: traceId,
      client_request_id: "req-1",
      trace_location: { mlflow_experiment: { experiment_id: experimentId } },
      request_time: "2026-11-20T12:00:00Z",
      execution_duration: "0.250s",
      state: "OK",
    });
    expect(info.tags).toMatchObject({ env: "prod", "mlflow.trace.spansLocation": "TRACKING_STORE" });
    expect(info.trace_metadata).toMatchObject({ "mlflow.sourceRun": runId, "mlflow.trace.user": "grace" });
    expect(JSON.parse(info.trace_metadata["mlflow.trace.tokenUsage"] ?? "{}")).toEqual({
      input_tokens: 30,
      output_tokens: 12,
      total_tokens: 42,
    });
  });

  it("GetTraceInfoV3, GetTrace and BatchGetTraces return the trace with its OTLP spans as sent", async () => {
    const { ctx } = stores();
    const info = await call(ctx, "GET", `/api/3.0/mlflow/traces/${traceId}`);
    expect(info.status).toBe(200);
    expect(z.object({ trace: traceSchema }).parse(info.json).trace.spans).toBeUndefined();

    const got = await call(ctx, "GET", "/api/3.0/mlflow/traces/get", { trace_id: traceId });
    const batch = await call(ctx, "GET", "/api/3.0/mlflow/traces/batchGet", { trace_ids: [traceId] });
    const fromGet = z.object({ trace: traceSchema }).parse(got.json).trace;
    const [fromBatch] = z.object({ traces: z.array(traceSchema) }).parse(batch.json).traces;
    expect(fromBatch).toEqual(fromGet);
    const spans = fromGet.spans ?? [];
    expect(spans.map((s) => s.name)).toEqual(["predict", "ChatOpenAI"]);
    const child = spans[1];
    expect(Buffer.from(child?.trace_id ?? "", "base64").toString("hex")).toBe(traceHex);
    expect(Buffer.from(child?.span_id ?? "", "base64").toString("hex")).toBe(childId);
    expect(Buffer.from(child?.parent_span_id ?? "", "base64").toString("hex")).toBe(rootId);
    expect(child?.start_time_unix_nano).toBe(`${BigInt(startMs + 10) * 1_000_000n}`);
    const value = (key: string) => child?.attributes.find((a) => a.key === key)?.value.string_value;
    expect(value("custom")).toBe(JSON.stringify({ nested: [1, 2] }));
    expect(value("mlflow.spanType")).toBe('"CHAT_MODEL"');
    expect(child?.status.code).toBe("STATUS_CODE_OK");
  });

  it("searches by status, tags, metadata, run, time and latency, with order and pages", async () => {
    const { ctx } = stores();
    const search = async (body: Record<string, unknown>) => {
      const res = await call(ctx, "POST", "/api/3.0/mlflow/traces/search", {
        locations: [{ type: "MLFLOW_EXPERIMENT", mlflow_experiment: { experiment_id: experimentId } }],
        ...body,
      });
      expect(res.status, JSON.stringify(res.json)).toBe(200);
      return z.object({ traces: z.array(traceInfo).optional(), next_page_token: z.string().optional() }).parse(res.json);
    };
    const ids = async (filter: string) => ((await search({ filter })).traces ?? []).map((t) => t.trace_id);
    expect(await ids("trace.status = 'OK'")).toContain(traceId);
    expect(await ids("trace.status = 'ERROR'")).not.toContain(traceId);
    expect(await ids("tags.env = 'prod' AND tags.`mlflow.traceName` = 'predict'")).toEqual([traceId]);
    expect(await ids(`metadata.mlflow.sourceRun = '${runId}'`)).toEqual([traceId]);
    expect(await ids(`request_metadata.\`mlflow.trace.user\` = 'grace'`)).toEqual([traceId]);
    expect(await ids(`trace.timestamp_ms >= ${startMs} AND trace.timestamp_ms < ${startMs + 1}`)).toEqual([traceId]);
    expect(await ids("trace.execution_time_ms > 1000")).not.toContain(traceId);
    expect(await ids("span.type = 'CHAT_MODEL' AND span.name = 'ChatOpenAI'")).toEqual([traceId]);
    expect(await ids(`trace.request_id = '${traceId}'`)).toEqual([traceId]);

    // A second trace, older and slower, for ordering and paging.
    const other = `tr-${hex(16)}`;
    await call(ctx, "POST", "/api/3.0/mlflow/traces", {
      trace: {
        trace_info: {
          trace_id: other,
          trace_location: { type: "MLFLOW_EXPERIMENT", mlflow_experiment: { experiment_id: experimentId } },
          request_time: new Date(startMs - 60_000).toISOString(),
          execution_duration: "2s",
          state: "ERROR",
        },
      },
    });
    expect((await search({})).traces?.map((t) => t.trace_id)).toEqual([traceId, other]);
    expect((await search({ order_by: ["execution_time_ms DESC"] })).traces?.map((t) => t.trace_id)).toEqual([other, traceId]);
    const first = await search({ max_results: 1 });
    expect(first.traces?.map((t) => t.trace_id)).toEqual([traceId]);
    const second = await search({ max_results: 1, page_token: first.next_page_token });
    expect(second.traces?.map((t) => t.trace_id)).toEqual([other]);
    expect(second.next_page_token).toBeUndefined();
    expect(await ids("trace.status = 'ERROR'")).toEqual([other]);

    const bad = await call(ctx, "POST", "/api/3.0/mlflow/traces/search", {
      locations: [{ mlflow_experiment: { experiment_id: experimentId } }],
      filter: "foo.bar = 'x'",
    });
    expect(bad.status).toBe(400);
    expect(errorSchema.parse(bad.json).error_code).toBe("INVALID_PARAMETER_VALUE");
    const tooMany = await call(ctx, "POST", "/api/3.0/mlflow/traces/search", {
      locations: [{ mlflow_experiment: { experiment_id: experimentId } }],
      max_results: 1000,
    });
    expect(tooMany.status).toBe(400);
  });

  it("sets and deletes tags, links traces to runs and deletes traces", async () => {
    const { ctx, client } = stores();
    expect((await call(ctx, "PATCH", `/api/3.0/mlflow/traces/${traceId}/tags`, { key: "topic", value: "docs" })).status).toBe(200);
    let info = z.object({ trace: traceSchema }).parse((await call(ctx, "GET", `/api/3.0/mlflow/traces/${traceId}`)).json).trace.trace_info;
    expect(info.tags.topic).toBe("docs");
    expect((await call(ctx, "DELETE", `/api/3.0/mlflow/traces/${traceId}/tags`, { key: "topic" })).status).toBe(200);
    info = z.object({ trace: traceSchema }).parse((await call(ctx, "GET", `/api/3.0/mlflow/traces/${traceId}`)).json).trace.trace_info;
    expect(info.tags.topic).toBeUndefined();
    const missingTag = await call(ctx, "DELETE", `/api/3.0/mlflow/traces/${traceId}/tags`, { key: "topic" });
    expect(missingTag.status).toBe(404);

    const run = await client.ok(
      "POST",
      "/runs/create",
      { experiment_id: experimentId },
      z.object({ run: z.object({ info: z.object({ run_id: z.string() }) }) }),
    );
    const evalRun = run.run.info.run_id;
    expect((await call(ctx, "POST", "/api/2.0/mlflow/traces/link-to-run", { trace_ids: [traceId], run_id: evalRun })).status).toBe(200);
    const linked = await call(ctx, "POST", "/api/3.0/mlflow/traces/search", {
      locations: [{ mlflow_experiment: { experiment_id: experimentId } }],
      filter: `metadata.mlflow.sourceRun = '${evalRun}'`,
    });
    expect(
      z
        .object({ traces: z.array(traceInfo) })
        .parse(linked.json)
        .traces.map((t) => t.trace_id),
    ).toEqual([traceId]);
    const unknownRun = await call(ctx, "POST", "/api/2.0/mlflow/traces/link-to-run", { trace_ids: [traceId], run_id: "nope" });
    expect(unknownRun.status).toBe(404);

    const doomed = `tr-${hex(16)}`;
    await call(ctx, "POST", "/api/3.0/mlflow/traces", {
      trace: { trace_info: { trace_id: doomed, trace_location: { mlflow_experiment: { experiment_id: experimentId } }, state: "OK" } },
    });
    const deleted = await call(ctx, "POST", "/api/3.0/mlflow/traces/delete-traces", { experiment_id: experimentId, request_ids: [doomed] });
    expect(deleted).toEqual({ status: 200, json: { traces_deleted: 1 } });
    expect((await call(ctx, "GET", `/api/3.0/mlflow/traces/${doomed}`)).status).toBe(404);
  });

  describe("assessments", () => {
    it("creates, reads, updates and deletes feedback, stored as the app's feedback", async () => {
      const { ctx } = stores();
      const created = await call(ctx, "POST", `/api/3.0/mlflow/traces/${traceId}/assessments`, {
        assessment: {
          assessment_name: "correct",
          trace_id: traceId,
          source: { source_type: "HUMAN", source_id: "ada@example.com" },
          feedback: { value: true },
          rationale: "Matches the docs.",
          metadata: { queue: "weekly" },
        },
      });
      expect(created.status, JSON.stringify(created.json)).toBe(200);
      const assessment = z
        .object({ assessment: z.object({ assessment_id: z.string(), trace_id: z.string(), create_time: z.string() }).passthrough() })
        .parse(created.json).assessment;
      expect(assessment.assessment_id).toMatch(/^a-[0-9a-f]{32}$/);
      expect(assessment.trace_id).toBe(traceId);

      const path = `/api/3.0/mlflow/traces/${traceId}/assessments/${assessment.assessment_id}`;
      const got = await call(ctx, "GET", path);
      expect(got.json).toMatchObject({
        assessment: { assessment_name: "correct", feedback: { value: true }, rationale: "Matches the docs.", valid: true },
      });

      const rows = await ctx.clickhouse.query({
        query: `SELECT target_type, metric_name, kind, value, tags['llmops.source'] AS source, tags['llmops.reviewer'] AS reviewer FROM feedback
          WHERE target_id = {t:UUID}`,
        query_params: {
          t: `${traceHex.slice(0, 8)}-${traceHex.slice(8, 12)}-${traceHex.slice(12, 16)}-${traceHex.slice(16, 20)}-${traceHex.slice(20)}`,
        },
        format: "JSON",
      });
      expect((await rows.json()).data).toEqual([
        { target_type: "trace", metric_name: "correct", kind: "boolean", value: 1, source: "human", reviewer: "ada@example.com" },
      ]);

      const updated = await call(ctx, "PATCH", path, {
        assessment: { feedback: { value: false }, rationale: "Outdated." },
        update_mask: "feedback,rationale",
      });
      expect(updated.status, JSON.stringify(updated.json)).toBe(200);
      expect((await call(ctx, "GET", path)).json).toMatchObject({ assessment: { feedback: { value: false }, rationale: "Outdated." } });
      // FieldMask's JSON form (what MLflow's client sends) camelCases the paths.
      const renamed = await call(ctx, "PATCH", path, { assessment: { assessment_name: "correct_answer" }, update_mask: "assessmentName" });
      expect(renamed.json).toMatchObject({ assessment: { assessment_name: "correct_answer", feedback: { value: false } } });

      const info = z.object({ trace: traceSchema }).parse((await call(ctx, "GET", `/api/3.0/mlflow/traces/${traceId}`)).json)
        .trace.trace_info;
      expect(info.assessments).toHaveLength(1);

      const expectation = await call(ctx, "POST", `/api/3.0/mlflow/traces/${traceId}/assessments`, {
        assessment: { assessment_name: "expected_response", expectation: { value: "MLflow is an open-source ML platform." } },
      });
      expect(expectation.status).toBe(200);

      expect((await call(ctx, "DELETE", path)).status).toBe(200);
      expect((await call(ctx, "GET", path)).status).toBe(404);
      const after = z.object({ trace: traceSchema }).parse((await call(ctx, "GET", `/api/3.0/mlflow/traces/${traceId}`)).json)
        .trace.trace_info;
      expect(after.assessments?.map((a) => a.assessment_name)).toEqual(["expected_response"]);
      // A scorer that failed logs its error instead of a value (mlflow.genai.evaluate does).
      const failed = await call(ctx, "POST", `/api/3.0/mlflow/traces/${traceId}/assessments`, {
        assessment: {
          assessment_name: "relevance",
          source: { source_type: "CODE", source_id: "relevance" },
          feedback: { error: { error_code: "SCORER_ERROR", error_message: "judge unavailable" } },
          metadata: { "mlflow.assessment.sourceRunId": "r1" },
        },
      });
      expect(failed.status, JSON.stringify(failed.json)).toBe(200);
    });

    it("rejects assessments without a value, with both values, or on unknown traces", async () => {
      const { ctx } = stores();
      const post = (id: string, assessment: object) => call(ctx, "POST", `/api/3.0/mlflow/traces/${id}/assessments`, { assessment });
      expect((await post(traceId, { assessment_name: "x" })).status).toBe(400);
      expect((await post(traceId, { assessment_name: "x", feedback: { value: 1 }, expectation: { value: 1 } })).status).toBe(400);
      expect((await post(`tr-${hex(16)}`, { assessment_name: "x", feedback: { value: 1 } })).status).toBe(404);
      const patchMask = await call(ctx, "PATCH", `/api/3.0/mlflow/traces/${traceId}/assessments/a-missing`, {
        assessment: {},
        update_mask: "rationale",
      });
      expect(patchMask.status).toBe(404);
    });
  });

  it("answers MLflow errors for bad ids, unknown traces and unknown paths", async () => {
    const { ctx } = stores();
    const badId = await call(ctx, "GET", "/api/3.0/mlflow/traces/not-a-trace");
    expect(badId.status).toBe(400);
    expect(errorSchema.parse(badId.json).error_code).toBe("INVALID_PARAMETER_VALUE");
    const unknown = await call(ctx, "GET", `/api/3.0/mlflow/traces/tr-${hex(16)}`);
    expect(unknown.status).toBe(404);
    expect(errorSchema.parse(unknown.json).error_code).toBe("RESOURCE_DOES_NOT_EXIST");
    const path = await call(ctx, "GET", `/api/3.0/mlflow/traces/${traceId}/nothing-here`);
    expect(path.status).toBe(404);
    expect(errorSchema.parse(path.json).error_code).toBe("ENDPOINT_NOT_FOUND");
    const noLocation = await call(ctx, "POST", "/api/3.0/mlflow/traces", { trace: { trace_info: { trace_id: `tr-${hex(16)}` } } });
    expect(noLocation.status).toBe(400);
    const deletedExperiment = await call(ctx, "POST", "/api/3.0/mlflow/traces", {
      trace: { trace_info: { trace_location: { mlflow_experiment: { experiment_id: "424242" } } } },
    });
    expect(deletedExperiment.status).toBe(404);
  });

  it("serves the v2 StartTrace, EndTrace, GetTraceInfo and SearchTraces", async () => {
    const { ctx } = stores();
    const started = await call(ctx, "POST", "/api/2.0/mlflow/traces", {
      experiment_id: experimentId,
      timestamp_ms: startMs + 5_000,
      request_metadata: [{ key: "mlflow.trace.session", value: "chat-9" }],
      tags: [{ key: "v", value: "2" }],
    });
    expect(started.status, JSON.stringify(started.json)).toBe(200);
    const requestId = z.object({ trace_info: z.object({ request_id: z.string(), status: z.string() }) }).parse(started.json).trace_info;
    expect(requestId.status).toBe("IN_PROGRESS");
    const ended = await call(ctx, "PATCH", `/api/2.0/mlflow/traces/${requestId.request_id}`, {
      timestamp_ms: startMs + 5_400,
      status: "OK",
    });
    expect(ended.status, JSON.stringify(ended.json)).toBe(200);
    const info = await call(ctx, "GET", `/api/2.0/mlflow/traces/${requestId.request_id}/info`);
    expect(info.json).toMatchObject({
      trace_info: {
        request_id: requestId.request_id,
        experiment_id: experimentId,
        timestamp_ms: startMs + 5_000,
        execution_time_ms: 400,
        status: "OK",
      },
    });
    const searched = await call(ctx, "GET", "/api/2.0/mlflow/traces", { experiment_ids: [experimentId], filter: "tags.v = '2'" });
    expect(
      z
        .object({ traces: z.array(z.object({ request_id: z.string() })) })
        .parse(searched.json)
        .traces.map((t) => t.request_id),
    ).toEqual([requestId.request_id]);
  });
});
