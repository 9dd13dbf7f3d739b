/**
 * `npm run bench:traces`: trace ingestion and search on the laptop default (PGlite + chDB).
 *
 *   1. OTLP/HTTP ingestion: protobuf ExportTraceServiceRequests of 500 spans (50 traces × 10
 *      spans) posted at a fixed 20 requests/s (10,000 spans/s) for 30 s to `/v1/traces` on a
 *      node:http server around the app's handler (port BENCH_PORT, default 4551): request latency
 *      p50/p95/p99, then every span counted back from ClickHouse (goal: p95 reported, 0 lost).
 *   2. Trace search over 1,000,000 spans (100,000 traces of 10 spans over 30 days, seeded with
 *      INSERT … SELECT through the real tables and views): MLflow's POST
 *      /api/3.0/mlflow/traces/search and the dashboard's list, p50/p95 (goal: p95 < 300 ms).
 *
 * BENCH_RATE (requests/s), BENCH_SECONDS, BENCH_SPANS (seeded spans) change the sizes.
 */
import { randomBytes } from "node:crypto";
import { cpus, loadavg } from "node:os";
import { Agent, request } from "undici";
import { openTestClickHouse } from "@/db/test/clickhouse";
import { postgresBackends } from "@/db/test/postgres";
import { invokeTraceApi } from "@/lib/mlflow/trace-api.server";
import { createExperiment } from "@/lib/tracking/experiments.server";
import type { TrackingContext } from "@/lib/tracking/context";
import { listTracePage } from "@/lib/traces/dashboard.server";
import { encodeExportRequest } from "@/lib/traces/otlp-proto";
import { startOtlpServer } from "@/lib/traces/testing/otlp-server";

const PORT = Number(process.env.BENCH_PORT ?? 4551);
const RATE = Number(process.env.BENCH_RATE ?? 20);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const SPANS_PER_REQUEST = 500;
const SEEDED_SPANS = Number(process.env.BENCH_SPANS ?? 1_000_000);
const SEARCHES = 60;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}
/** Mean CPU time of the process per call (chDB runs in-process): what a search costs on an idle core. */
const cpuNote = (cpuMicros: number, calls: number) => `; CPU ${(cpuMicros / calls / 1000).toFixed(1)} ms per search`;
const stats = (samples: number[]) => {
  const s = [...samples].sort((a, b) => a - b);
  return `p50 ${percentile(s, 50).toFixed(1)} ms, p95 ${percentile(s, 95).toFixed(1)} ms, p99 ${percentile(s, 99).toFixed(1)} ms (n=${s.length})`;
};
const str = (value: string) => ({ key: "", value: { string_value: value } });
const attr = (key: string, value: string | number) => ({
  key,
  value: typeof value === "number" ? { int_value: value } : { string_value: value },
});

/** One request: 50 traces of an agent root, 4 LLM calls with GenAI usage, tools and a retriever. */
function exportRequest(): Uint8Array {
  const now = BigInt(Date.now()) * 1_000_000n;
  const spans = [];
  for (let t = 0; t < SPANS_PER_REQUEST / 10; t++) {
    const traceId = randomBytes(16);
    const root = randomBytes(8);
    for (let i = 0; i < 10; i++) {
      const start = now + BigInt(i * 5_000_000);
      const llm = i % 3 === 1;
      spans.push({
        trace_id: traceId,
        span_id: i === 0 ? root : randomBytes(8),
        parent_span_id: i === 0 ? new Uint8Array() : root,
        name: i === 0 ? "invoke_agent support" : llm ? "chat gpt-4o-mini" : "execute_tool lookup",
        kind: i === 0 ? 2 : 3,
        start_time_unix_nano: start.toString(),
        end_time_unix_nano: (start + 4_000_000n).toString(),
        attributes: [
          attr("gen_ai.operation.name", i === 0 ? "invoke_agent" : llm ? "chat" : "execute_tool"),
          ...(i === 0 ? [attr("gen_ai.conversation.id", `conv-${t % 7}`), attr("user.id", `user-${t % 13}`)] : []),
          ...(llm
            ? [
                attr("gen_ai.request.model", "gpt-4o-mini"),
                attr("gen_ai.usage.input_tokens", 120),
                attr("gen_ai.usage.output_tokens", 40),
                attr("gen_ai.input.messages", '[{"role":"user","parts":[{"type":"text","content":"Where is my order 4411?"}]}]'),
                attr("gen_ai.output.messages", '[{"role":"assistant","parts":[{"type":"text","content":"It ships tomorrow."}]}]'),
              ]
            : []),
        ],
        status: { code: 1 },
      });
    }
  }
  return encodeExportRequest({
    resource_spans: [{ resource: { attributes: [{ ...str("support-bot"), key: "service.name" }] }, scope_spans: [{ spans }] }],
  });
}

async function benchIngestion(ctx: TrackingContext, experimentId: string) {
  const server = await startOtlpServer(ctx, PORT);
  const agent = new Agent({ connections: 64, keepAliveTimeout: 30_000 });
  const bodies = Array.from({ length: 40 }, exportRequest);
  const latencies: number[] = [];
  let generatorCpu = 0;
  const cpuBefore = process.cpuUsage();
  let failures = 0;
  const total = RATE * SECONDS;
  const pending: Promise<void>[] = [];
  const t0 = performance.now();
  for (let i = 0; i < total; i++) {
    const due = t0 + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const body = bodies[i % bodies.length] ?? exportRequest();
    // Each request re-sends a body with fresh trace ids, so no two requests carry the same spans.
    const g = process.cpuUsage();
    bodies[i % bodies.length] = exportRequest();
    const gd = process.cpuUsage(g);
    generatorCpu += gd.user + gd.system;
    const start = performance.now();
    pending.push(
      request(`${server.url}/v1/traces`, {
        method: "POST",
        dispatcher: agent,
        headers: { "content-type": "application/x-protobuf", "x-mlflow-experiment-id": experimentId },
        body,
      }).then(async (res) => {
        await res.body.arrayBuffer();
        if (res.statusCode !== 200) failures++;
        latencies.push(performance.now() - start);
      }),
    );
  }
  await Promise.all(pending);
  const elapsed = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  await server.close();
  await agent.close();
  const counted = await ctx.clickhouse.query({
    query: "SELECT count() AS n FROM spans FINAL WHERE experiment_id = {e:String}",
    query_params: { e: experimentId },
    format: "JSON",
  });
  const stored = Number(((await counted.json()) as { data: { n: number | string }[] }).data[0]?.n ?? 0);
  const sent = total * SPANS_PER_REQUEST;
  console.log(
    `OTLP ingestion: ${total} requests × ${SPANS_PER_REQUEST} spans in ${elapsed.toFixed(1)} s (${Math.round(sent / elapsed)} spans/s offered at ${RATE * SPANS_PER_REQUEST}/s)`,
  );
  console.log(`  request latency: ${stats(latencies)}; non-200 answers: ${failures}`);
  console.log(`  spans sent ${sent}, stored ${stored}, lost ${sent - stored}`);
  // CPU time does not depend on how busy the machine is: it says how many spans a core ingests.
  const serverCpuPerSpan = (cpu.user + cpu.system - generatorCpu) / sent;
  console.log(
    `  CPU per span (handler, decoding, mapping and embedded ClickHouse, load generator excluded): ${serverCpuPerSpan.toFixed(1)} µs, about ${Math.round(1e6 / serverCpuPerSpan)} spans/s per core`,
  );
}

async function seed(ctx: TrackingContext, experimentId: string) {
  const started = performance.now();
  const chunk = 250_000;
  for (let offset = 0; offset < SEEDED_SPANS; offset += chunk) {
    await ctx.clickhouse.command({
      query: `INSERT INTO spans
        SELECT
          lower(hex(sipHash128(intDiv(number, 10), 1))) AS trace_id,
          substring(lower(hex(sipHash128(number, 3))), 1, 16) AS span_id,
          if(number % 10 = 0, '', substring(lower(hex(sipHash128(intDiv(number, 10) * 10, 3))), 1, 16)) AS parent_span_id,
          {e:String} AS experiment_id,
          if(number % 10 = 0, 'invoke_agent support', if(number % 3 = 1, 'chat gpt-4o-mini', 'execute_tool lookup')) AS name,
          if(number % 10 = 0, 'AGENT', if(number % 3 = 1, 'CHAT_MODEL', 'TOOL')) AS span_type,
          'INTERNAL' AS kind,
          fromUnixTimestamp64Nano(toInt64(toUnixTimestamp64Nano(now64(9)) - intDiv(number, 10) * 25920000000 + (number % 10) * 5000000)) AS start_time,
          fromUnixTimestamp64Nano(toInt64(toUnixTimestamp64Nano(now64(9)) - intDiv(number, 10) * 25920000000 + (number % 10) * 5000000 + (1 + cityHash64(number) % 900) * 1000000)) AS end_time,
          if(cityHash64(intDiv(number, 10)) % 20 = 0 AND number % 10 = 0, 'ERROR', 'OK') AS status,
          '' AS status_message,
          if(number % 10 = 0, concat('{"question": "order ', toString(intDiv(number, 10) % 5000), '"}'), '') AS inputs,
          if(number % 10 = 0, '"It ships tomorrow."', '') AS outputs,
          map('gen_ai.operation.name', '"chat"') AS attributes,
          '[]' AS events,
          'support-bot' AS service_name,
          if(number % 3 = 1, 'gpt-4o-mini', '') AS model,
          if(number % 3 = 1, 120, 0) AS input_tokens,
          if(number % 3 = 1, 40, 0) AS output_tokens,
          if(number % 3 = 1, 0.00004, 0) AS cost,
          if(number % 10 = 0, concat('conv-', toString(intDiv(number, 10) % 20000)), '') AS session_id,
          if(number % 10 = 0, concat('user-', toString(intDiv(number, 10) % 997)), '') AS user_id,
          now64(3) AS ingested_at
        FROM numbers({offset:UInt64}, {n:UInt64})`,
      query_params: { e: experimentId, offset, n: Math.min(chunk, SEEDED_SPANS - offset) },
    });
  }
  await ctx.clickhouse.command({ query: "OPTIMIZE TABLE traces FINAL" });
  console.log(
    `seeded ${SEEDED_SPANS} spans (${SEEDED_SPANS / 10} traces over 30 days) in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
}

async function benchSearch(ctx: TrackingContext, experimentId: string) {
  const searches: [string, Record<string, unknown>][] = [
    ["newest 100", {}],
    ["status = ERROR", { filter: "trace.status = 'ERROR'" }],
    ["one session", { filter: "metadata.`mlflow.trace.session` = 'conv-123'" }],
    ["last 24 h, slowest first", { filter: `trace.timestamp_ms > ${Date.now() - 86_400_000}`, order_by: ["execution_time_ms DESC"] }],
    ["span type + latency", { filter: "span.type = 'CHAT_MODEL' AND trace.execution_time_ms > 800" }],
  ];
  for (const [label, body] of searches) {
    const samples: number[] = [];
    let cpu = 0;
    for (let i = 0; i < SEARCHES; i++) {
      const start = performance.now();
      const before = process.cpuUsage();
      const res = await invokeTraceApi(
        "3.0",
        new Request("http://bench/api/3.0/mlflow/traces/search", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({
            locations: [{ type: "MLFLOW_EXPERIMENT", mlflow_experiment: { experiment_id: experimentId } }],
            max_results: 100,
            ...body,
          }),
        }),
        ctx,
      );
      const json = (await res.json()) as { traces?: unknown[] };
      if (res.status !== 200) throw new Error(`search ${label}: ${res.status} ${JSON.stringify(json)}`);
      const used = process.cpuUsage(before);
      if (i > 2) {
        samples.push(performance.now() - start);
        cpu += used.user + used.system;
      }
    }
    console.log(`  MLflow search, ${label}: ${stats(samples)}${cpuNote(cpu, samples.length)}`);
  }
  const dashboard: [string, Parameters<typeof listTracePage>[1]][] = [
    ["dashboard list, all experiments", {}],
    ["dashboard text search", { experiment: experimentId, q: "order 4321" }],
    ["dashboard user + latency", { experiment: experimentId, user: "user-42", minLatencyMs: 500 }],
  ];
  for (const [label, state] of dashboard) {
    const samples: number[] = [];
    let cpu = 0;
    for (let i = 0; i < SEARCHES; i++) {
      const start = performance.now();
      const before = process.cpuUsage();
      await listTracePage(ctx, state);
      const used = process.cpuUsage(before);
      if (i > 2) {
        samples.push(performance.now() - start);
        cpu += used.user + used.system;
      }
    }
    console.log(`  ${label}: ${stats(samples)}${cpuNote(cpu, samples.length)}`);
  }
}

async function main() {
  console.log(
    `load average at start: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(", ")} (${cpus().length} cores)`,
  );
  const pglite = postgresBackends.find((b) => b.name === "pglite") ?? postgresBackends[0];
  if (!pglite) throw new Error("no Postgres backend");
  const [pg, ch] = await Promise.all([pglite.open(), openTestClickHouse()]);
  const ctx: TrackingContext = { db: pg.store.db, clickhouse: ch.store.client };
  try {
    const ingest = await createExperiment({ ctx, input: { name: "bench-ingest", tags: [] } });
    await benchIngestion(ctx, ingest);
    const search = await createExperiment({ ctx, input: { name: "bench-search", tags: [] } });
    await seed(ctx, search);
    console.log(`Trace search over ${SEEDED_SPANS} spans (in-process, MLflow endpoint incl. trace infos):`);
    await benchSearch(ctx, search);
    console.log(
      `load average at end: ${loadavg()
        .map((l) => l.toFixed(1))
        .join(", ")}`,
    );
  } finally {
    await Promise.allSettled([pg.cleanup(), ch.cleanup()]);
  }
}

await main();
