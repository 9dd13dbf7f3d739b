import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestStores, startTestGateway, type TestGateway, type TestStores } from "@/lib/gateway/testing/harness";
import type { TrackingContext } from "@/lib/tracking/context";
import { createExperiment } from "@/lib/tracking/experiments.server";
import { createAssessment } from "./assessments.server";
import { getSessionView, getTraceView, listTracePage } from "./dashboard.server";
import { handleOtlpTraces } from "./ingest.server";

const CONFIG = `
[providers.echo]
type = "dummy"
latency_ms = 0
ttft_ms = 0

[models.m]
routing = [{ provider = "echo", model = "echo-1" }]

[functions.answer.variants.v1]
model = "m"
user = "Answer {{q}}"
`;

/** The dashboard's reads, and a gateway inference made inside a trace linking to its span. */
describe("trace dashboard and the gateway link", () => {
  let env: TestStores;
  let gw: TestGateway;
  let ctx: TrackingContext;
  let experimentId = "";
  const traceHex = randomBytes(16).toString("hex");
  const rootId = randomBytes(8).toString("hex");
  const llmId = randomBytes(8).toString("hex");
  const episode = "0190f5c2-7d2a-7c3b-9a6e-2f1b3c4d5e6f";

  beforeAll(async () => {
    env = await openTestStores();
    gw = await startTestGateway(env.stores, CONFIG);
    ctx = { db: env.stores.postgres.db, clickhouse: env.stores.clickhouse.client };
    experimentId = await createExperiment({ ctx, input: { name: "dash", tags: [] } });
    const now = BigInt(Date.now()) * 1_000_000n;
    const span = (spanId: string, parent: string, name: string, attrs: Record<string, string | number>, offsetMs: number, ms: number) => ({
      traceId: traceHex,
      spanId,
      parentSpanId: parent,
      name,
      startTimeUnixNano: String(now + BigInt(offsetMs) * 1_000_000n),
      endTimeUnixNano: String(now + BigInt(offsetMs + ms) * 1_000_000n),
      attributes: Object.entries(attrs).map(([key, v]) => ({ key, value: typeof v === "number" ? { intValue: v } : { stringValue: v } })),
    });
    const body = {
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: [
                span(
                  rootId,
                  "",
                  "agent",
                  { "session.id": episode, "input.value": "refund policy?", "openinference.span.kind": "AGENT" },
                  0,
                  300,
                ),
                span(
                  llmId,
                  rootId,
                  "llm",
                  {
                    "openinference.span.kind": "LLM",
                    "llm.model_name": "echo-1",
                    "llm.token_count.prompt": 7,
                    "llm.token_count.completion": 3,
                  },
                  20,
                  200,
                ),
              ],
            },
          ],
        },
      ],
    };
    const res = await handleOtlpTraces(
      new Request("http://t/v1/traces", {
        method: "POST",
        headers: { "content-type": "application/json", "x-mlflow-experiment-id": experimentId },
        body: JSON.stringify(body),
      }),
      ctx,
    );
    expect(res.status).toBe(200);
    const inference = await fetch(`${gw.url}/openai/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json", traceparent: `00-${traceHex}-${llmId}-01`, "x-llmops-episode-id": episode },
      body: JSON.stringify({
        model: "function::answer",
        messages: [{ role: "user", content: "please" }],
        llmops: { variables: { q: "refund policy?" } },
      }),
    });
    expect(inference.status, await inference.clone().text()).toBe(200);
    await gw.gateway.recorder.flush();
  });
  afterAll(async () => {
    await gw?.close();
    await env?.cleanup();
  });

  it("lists traces with the typed filters", async () => {
    const page = await listTracePage(ctx, { experiment: experimentId });
    expect(page.items.map((t) => t.traceId)).toEqual([`tr-${traceHex}`]);
    expect(page.items[0]).toMatchObject({ name: "agent", state: "OK", spanCount: 2, inputTokens: 7, outputTokens: 3, sessionId: episode });
    expect((await listTracePage(ctx, { experiment: experimentId, q: "REFUND" })).items).toHaveLength(1);
    expect((await listTracePage(ctx, { experiment: experimentId, minLatencyMs: 1000 })).items).toHaveLength(0);
    expect((await listTracePage(ctx, { experiment: experimentId, status: "ERROR" })).items).toHaveLength(0);
    expect((await listTracePage(ctx, { session: episode })).items).toHaveLength(1);
  });

  it("shows the span tree with the gateway inference under the span that made it", async () => {
    const view = await getTraceView(ctx, `tr-${traceHex}`);
    expect(view.spans.map((s) => [s.name, s.spanType])).toEqual([
      ["agent", "AGENT"],
      ["llm", "LLM"],
    ]);
    expect(view.spans[1]?.offsetMs).toBeCloseTo(20, 3);
    expect(view.inferences).toEqual([expect.objectContaining({ spanId: llmId, functionName: "answer", variantName: "v1" })]);
  });

  it("puts a session's traces and inferences in one timeline", async () => {
    const session = await getSessionView(ctx, episode);
    expect(session.items.map((i) => i.kind).sort()).toEqual(["inference", "trace"]);
  });

  it("counts an assessment of the trace under the function of its gateway inference", async () => {
    await createAssessment(ctx.clickhouse, traceHex, { assessment_name: "helpful", feedback: { value: 0.75 } });
    const rows = await ctx.clickhouse.query({
      query: "SELECT function_name, variant_name, kind, value FROM feedback WHERE metric_name = 'helpful'",
      format: "JSON",
    });
    expect((await rows.json()).data).toEqual([{ function_name: "answer", variant_name: "v1", kind: "float", value: 0.75 }]);
    expect((await getTraceView(ctx, `tr-${traceHex}`)).assessments).toEqual([
      expect.objectContaining({ name: "helpful", kind: "feedback", value: 0.75 }),
    ]);
  });
});
