import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { startTestApp, type TestApp, type TestAppServer } from "@/lib/http/testing/app-server";

/**
 * What MLflow's Python client sends during `mlflow.genai.evaluate` (mlflow/genai/evaluation/base.py
 * `_evaluate_oss`, harness.py `run`/`_run_single`/`_log_assessments`, trace_utils
 * `batch_link_traces_to_run`), replayed over HTTP to the real handlers: start the run, log the
 * dataset input, tag it `mlflow.run.isEval`, log each row's trace (spans over OTLP, then
 * StartTraceV3 with `mlflow.sourceRun`; a trace given in the data is only linked), the scorers'
 * feedback and the expectations, link the traces to the run, log `<scorer>/mean`, end the run and
 * search the run's traces. The evaluations API then lists the run beside the app's own.
 */
process.env.LLMOPS_AUTH = "off";

const CONFIG = `
[providers.echo]
type = "dummy"

[models.m]
routing = [{ provider = "echo", model = "echo-1" }]
`;
const hex = (n: number) => randomBytes(n).toString("hex");
const attr = (key: string, value: unknown) => ({ key, value: { stringValue: JSON.stringify(value) } });

describe("mlflow.genai.evaluate against this server", () => {
  let t: TestApp;
  let app: TestAppServer;

  beforeAll(async () => {
    t = await startTestApp(CONFIG);
    ({ app } = t);
  });
  afterAll(async () => {
    await t?.close();
  });

  async function send(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const res = await fetch(`${app.url}${path}`, {
      method,
      headers: body === undefined ? headers : { "content-type": "application/json", ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    expect(res.status, `${method} ${path}: ${text}`).toBe(200);
    return (text ? JSON.parse(text) : {}) as unknown;
  }

  /** A row's trace as the client logs it: its root span over OTLP, then StartTraceV3. */
  async function logTrace(experimentId: string, metadata: Record<string, string>, question: string, answer: string) {
    const traceHex = hex(16);
    const spanId = hex(8);
    const startMs = Date.now();
    const ns = (ms: number) => `${BigInt(ms) * 1_000_000n}`;
    const traceId = `tr-${traceHex}`;
    await send(
      "POST",
      "/v1/traces",
      {
        resourceSpans: [
          {
            resource: { attributes: [] },
            scopeSpans: [
              {
                spans: [
                  {
                    traceId: traceHex,
                    spanId,
                    name: "root_span",
                    startTimeUnixNano: ns(startMs),
                    endTimeUnixNano: ns(startMs + 5),
                    status: { code: 1 },
                    attributes: [
                      attr("mlflow.traceRequestId", traceId),
                      attr("mlflow.spanType", "CHAIN"),
                      attr("mlflow.spanInputs", { question }),
                      attr("mlflow.spanOutputs", answer),
                    ],
                  },
                ],
              },
            ],
          },
        ],
      },
      { "x-mlflow-experiment-id": experimentId },
    );
    await send("POST", "/api/3.0/mlflow/traces", {
      trace: {
        trace_info: {
          trace_id: traceId,
          trace_location: { type: "MLFLOW_EXPERIMENT", mlflow_experiment: { experiment_id: experimentId } },
          request_preview: JSON.stringify({ question }),
          response_preview: JSON.stringify(answer),
          request_time: new Date(startMs).toISOString(),
          execution_duration: "0.005s",
          state: "OK",
          trace_metadata: { "mlflow.trace_schema.version": "3", ...metadata },
          tags: { "mlflow.traceName": "root_span" },
        },
      },
    });
    return { traceId, spanId: Buffer.from(spanId, "hex").toString("base64") };
  }

  it("completes, and its run, metrics, traces and assessments reach the evaluations API", async () => {
    const { experiment_id: experimentId } = z
      .object({ experiment_id: z.string() })
      .parse(await send("POST", "/api/2.0/mlflow/experiments/create", { name: `genai-${hex(4)}` }));
    // A trace logged before the evaluation and passed in `data`: the harness only links it.
    const earlier = await logTrace(experimentId, {}, "What is Spark?", "I don't know");
    // One the evaluation does not use: neither listed nor counted.
    await logTrace(experimentId, {}, "Hello?", "Hi.");

    // _start_run_or_reuse_active_run → mlflow.start_run
    const created = z.object({ run: z.object({ info: z.object({ run_id: z.string() }) }) }).parse(
      await send("POST", "/api/2.0/mlflow/runs/create", {
        experiment_id: experimentId,
        user_id: "ada",
        start_time: Date.now(),
        run_name: "genai-eval",
        tags: [
          { key: "mlflow.user", value: "ada" },
          { key: "mlflow.source.name", value: "eval.py" },
          { key: "mlflow.source.type", value: "LOCAL" },
          { key: "mlflow.runName", value: "genai-eval" },
        ],
      }),
    );
    const runId = created.run.info.run_id;
    // _log_dataset_input: the data as a pandas dataset named "dataset"
    await send("POST", "/api/2.0/mlflow/runs/log-inputs", {
      run_id: runId,
      datasets: [
        {
          tags: [],
          dataset: {
            name: "dataset",
            digest: "3a1f0c2e",
            source_type: "code",
            source: JSON.stringify({ tags: { "mlflow.user": "ada", "mlflow.source.name": "eval.py" } }),
            schema: JSON.stringify({ mlflow_colspec: [{ type: "string", name: "inputs", required: true }] }),
            profile: JSON.stringify({ num_rows: 2, num_elements: 4 }),
          },
        },
      ],
    });
    await send("POST", "/api/2.0/mlflow/runs/set-tag", { run_id: runId, run_uuid: runId, key: "mlflow.run.isEval", value: "true" });

    // _run_single, row 1: static inputs/outputs → create_minimal_trace, inside the active run.
    const minimal = await logTrace(experimentId, { "mlflow.sourceRun": runId }, "What is MLflow?", "An ML platform.");
    // row 2: the earlier trace, linked to the run.
    await send("POST", "/api/2.0/mlflow/traces/link-to-run", { trace_ids: [earlier.traceId], run_id: runId });
    const rows = [
      { trace: minimal, correct: true, expected: "An open-source ML platform." },
      { trace: earlier, correct: false, expected: "A data engine." },
    ];
    // _log_assessments: the scorer's feedback, then the row's expectations, each with the run id.
    for (const { trace, correct, expected } of rows) {
      for (const assessment of [
        {
          assessment_name: "correctness",
          source: { source_type: "CODE", source_id: "correctness" },
          feedback: { value: correct },
          rationale: correct ? "Matches." : "Does not match.",
        },
        { assessment_name: "expected_response", source: { source_type: "HUMAN", source_id: "ada" }, expectation: { value: expected } },
      ])
        await send("POST", `/api/3.0/mlflow/traces/${trace.traceId}/assessments`, {
          assessment: {
            ...assessment,
            trace_id: trace.traceId,
            span_id: trace.spanId,
            metadata: { "mlflow.assessment.sourceRunId": runId },
            create_time: new Date().toISOString(),
            last_update_time: new Date().toISOString(),
          },
        });
    }
    // batch_link_traces_to_run: every row's trace, once all are scored.
    await send("POST", "/api/2.0/mlflow/traces/link-to-run", { trace_ids: rows.map((r) => r.trace.traceId), run_id: runId });
    // compute_aggregated_metrics → mlflow.log_metrics
    const now = Date.now();
    await send("POST", "/api/2.0/mlflow/runs/log-batch", {
      run_id: runId,
      metrics: [{ key: "correctness/mean", value: 0.5, timestamp: now, step: 0 }],
      params: [],
      tags: [],
    });
    // mlflow.search_traces(run_id=…) for the result table, then the run ends.
    const searched = z.object({ traces: z.array(z.object({ trace_id: z.string() })) }).parse(
      await send("POST", "/api/3.0/mlflow/traces/search", {
        locations: [{ type: "MLFLOW_EXPERIMENT", mlflow_experiment: { experiment_id: experimentId } }],
        filter: `metadata.\`mlflow.sourceRun\` = '${runId}'`,
        max_results: 100,
      }),
    );
    expect(searched.traces.map((t) => t.trace_id).sort()).toEqual(rows.map((r) => r.trace.traceId).sort());
    await send("POST", "/api/2.0/mlflow/runs/update", { run_id: runId, run_uuid: runId, status: "FINISHED", end_time: Date.now() });

    // The evaluations API lists it beside the app's own runs, with its scorer metric and traces.
    const listed = z
      .object({ runs: z.array(z.unknown()), mlflowGenai: z.array(z.record(z.string(), z.unknown())) })
      .parse(await send("GET", "/api/evaluations"));
    expect(listed.runs).toEqual([]);
    expect(listed.mlflowGenai).toEqual([
      {
        runId,
        experimentId,
        experimentName: expect.stringMatching(/^genai-/),
        name: "genai-eval",
        status: "FINISHED",
        startTime: expect.any(Number),
        endTime: expect.any(Number),
        metrics: { "correctness/mean": 0.5 },
        traces: 2,
      },
    ]);

    // The run page's link: the traces page filtered by the run, then each trace's assessments.
    const page = z
      .object({ items: z.array(z.object({ traceId: z.string() })) })
      .parse(await send("GET", `/api/traces?experiment=${experimentId}&run=${runId}`));
    expect(page.items.map((t) => t.traceId).sort()).toEqual(rows.map((r) => r.trace.traceId).sort());
    for (const { trace, correct, expected } of rows) {
      const view = z
        .object({ assessments: z.array(z.object({ name: z.string(), kind: z.string(), value: z.unknown() })) })
        .parse(await send("GET", `/api/traces/${trace.traceId}`));
      expect(view.assessments.map(({ name, kind, value }) => ({ name, kind, value })).sort((a, b) => a.name.localeCompare(b.name))).toEqual(
        [
          { name: "correctness", kind: "feedback", value: correct },
          { name: "expected_response", kind: "expectation", value: expected },
        ],
      );
    }
    // A run not made by genai.evaluate is not listed.
    await send("POST", "/api/2.0/mlflow/runs/create", { experiment_id: experimentId, run_name: "training" });
    const again = z.object({ mlflowGenai: z.array(z.object({ runId: z.string() })) }).parse(await send("GET", "/api/evaluations"));
    expect(again.mlflowGenai.map((r) => r.runId)).toEqual([runId]);
  });
});
