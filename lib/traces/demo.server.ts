import "server-only";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { DemoSeeder } from "@/lib/demo/types";
import { parseConfig } from "@/lib/gateway/config";
import { demoConfig, seededRandom } from "@/lib/gateway/demo.server";
import { uuidAt } from "@/lib/gateway/ids";
import { virtualClock } from "@/lib/gateway/providers/types";
import { createGateway } from "@/lib/gateway/runtime.server";
import type { Stores } from "@/lib/stores/index.server";
import type { TrackingContext } from "@/lib/tracking/context";
import { createExperiment } from "@/lib/tracking/experiments.server";
import { createAssessment } from "./assessments.server";
import { handleOtlpTraces } from "./ingest.server";

/**
 * The demo's traces: a support agent's conversations over the last 7 days, sent as OTLP/JSON
 * through the ingestion handler, each turn a trace (agent → knowledge-base search → the gateway's
 * `reply` function, called with the trace's traceparent so the inference links to its span →
 * sometimes a failing tool), some with reviewers' and judges' assessments.
 */
const SESSIONS = 40;
const DAYS = 7;
const QUESTIONS = [
  "My order 4411 has not arrived.",
  "Can I change the delivery address?",
  "The invoice shows the wrong VAT number.",
  "How do I return a damaged item?",
  "I was charged twice for the same order.",
];

type Attr = { key: string; value: Record<string, string | number | boolean> };
const attr = (key: string, value: string | number): Attr => ({
  key,
  value: typeof value === "number" ? { intValue: value } : { stringValue: value },
});
const ns = (ms: number) => `${BigInt(Math.round(ms)) * 1_000_000n}`;

export async function seedTracesDemo(stores: Stores, log: (message: string) => void, now = Date.now()): Promise<number> {
  const file = path.resolve("llmops.toml");
  const config = existsSync(file) ? parseConfig(await readFile(file, "utf8"), "llmops.toml") : undefined;
  const random = seededRandom(20261205);
  const gateway = config?.functions.reply ? await createGateway(stores, demoConfig(config), { random, spoolDir: null }) : undefined;
  const ctx: TrackingContext = { db: stores.postgres.db, clickhouse: stores.clickhouse.client };
  const experimentId = await createExperiment({
    ctx,
    input: { name: "support-agent (traces)", tags: [{ key: "mlflow.note.content", value: "Demo traces." }] },
  });
  const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)]!;
  const traces: { traceId: string; rootId: string }[] = [];
  for (let s = 0; s < SESSIONS; s++) {
    let at = now - random() * DAYS * 86_400_000;
    const session = uuidAt(at);
    const user = `customer-${1 + Math.floor(random() * 25)}`;
    const turns = 1 + Math.floor(random() * 3);
    for (let turn = 0; turn < turns; turn++) {
      const traceId = randomBytes(16).toString("hex");
      const [rootId, kbId, llmId, toolId] = [0, 1, 2, 3].map(() => randomBytes(8).toString("hex"));
      const question = pick(QUESTIONS);
      const result = gateway
        ? await gateway
            .infer(
              {
                functionName: "reply",
                episodeId: session,
                variables: { message: question },
                tags: { source: "demo" },
                trace: { traceId, spanId: llmId! },
              },
              { signal: new AbortController().signal, clock: virtualClock(at + 60) },
            )
            .catch(() => undefined)
        : undefined;
      const llmMs = result?.latencyMs ?? 400 + random() * 900;
      const toolFails = random() < 0.12;
      const total = 60 + llmMs + 180;
      const answer = result?.output.content ?? "";
      const spans = [
        {
          spanId: rootId,
          parent: "",
          name: "support_agent",
          start: 0,
          end: total,
          ok: !toolFails || answer !== "",
          attrs: [
            attr("openinference.span.kind", "AGENT"),
            attr("session.id", session),
            attr("user.id", user),
            attr("input.value", question),
            attr("output.value", answer),
          ],
        },
        {
          spanId: kbId,
          parent: rootId,
          name: "search_kb",
          start: 5,
          end: 45,
          ok: true,
          attrs: [
            attr("openinference.span.kind", "RETRIEVER"),
            attr("input.value", question),
            attr("output.value", "3 articles: shipping, returns, invoices"),
          ],
        },
        {
          spanId: llmId,
          parent: rootId,
          name: "chat reply",
          start: 55,
          end: 55 + llmMs,
          ok: result !== undefined,
          attrs: [
            attr("gen_ai.operation.name", "chat"),
            attr("gen_ai.request.model", result?.modelName ?? "fast"),
            attr("gen_ai.usage.input_tokens", result?.usage.input_tokens ?? 0),
            attr("gen_ai.usage.output_tokens", result?.usage.output_tokens ?? 0),
            attr("gen_ai.input.messages", JSON.stringify([{ role: "user", parts: [{ type: "text", content: question }] }])),
            attr("gen_ai.output.messages", JSON.stringify([{ role: "assistant", parts: [{ type: "text", content: answer }] }])),
          ],
        },
        ...(toolFails
          ? [
              {
                spanId: toolId,
                parent: rootId,
                name: "create_ticket",
                start: 60 + llmMs,
                end: total - 10,
                ok: false,
                attrs: [attr("gen_ai.operation.name", "execute_tool"), attr("gen_ai.tool.name", "create_ticket")],
              },
            ]
          : []),
      ];
      const body = {
        resourceSpans: [
          {
            resource: { attributes: [attr("service.name", "support-agent")] },
            scopeSpans: [
              {
                scope: { name: "demo" },
                spans: spans.map((sp) => ({
                  traceId,
                  spanId: sp.spanId,
                  parentSpanId: sp.parent,
                  name: sp.name,
                  startTimeUnixNano: ns(at + sp.start),
                  endTimeUnixNano: ns(at + sp.end),
                  attributes: sp.attrs,
                  status: sp.ok
                    ? { code: 1 }
                    : { code: 2, message: sp.name === "create_ticket" ? "ticketing service timed out" : "gateway call failed" },
                })),
              },
            ],
          },
        ],
      };
      const res = await handleOtlpTraces(
        new Request("http://demo/v1/traces", {
          method: "POST",
          headers: { "content-type": "application/json", "x-mlflow-experiment-id": experimentId },
          body: JSON.stringify(body),
        }),
        ctx,
      );
      if (res.status !== 200) throw new Error(`demo traces: ingestion answered ${res.status}: ${await res.text()}`);
      traces.push({ traceId, rootId: rootId! });
      at += 60_000 + random() * 600_000;
    }
  }
  await gateway?.recorder.close();
  let assessed = 0;
  for (const { traceId, rootId } of traces) {
    if (random() < 0.3) {
      await createAssessment(stores.clickhouse.client, traceId, {
        assessment_name: "resolved",
        span_id: rootId,
        source: { source_type: "HUMAN", source_id: pick(["ada", "grace", "linus"]) },
        feedback: { value: random() < 0.7 },
      });
      assessed++;
    }
    if (random() < 0.2) {
      await createAssessment(stores.clickhouse.client, traceId, {
        assessment_name: "relevance",
        source: { source_type: "LLM_JUDGE", source_id: "judge" },
        feedback: { value: Math.round((0.5 + random() * 0.5) * 100) / 100 },
        rationale: "The answer addresses the customer's question.",
      });
      assessed++;
    }
  }
  log(`traces: ${traces.length} traces in ${SESSIONS} sessions, ${assessed} assessments`);
  return traces.length;
}

export const tracesDemoSeeder: DemoSeeder = {
  key: "traces",
  run: async (stores, log) => void (await seedTracesDemo(stores, log)),
};
