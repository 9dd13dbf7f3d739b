/**
 * Runs once when a Next.js server process starts: opens both stores, applies migrations, and
 * installs graceful shutdown (scripts/start.mjs sets NEXT_MANUAL_SIG_HANDLE so Next leaves the
 * signals to us). A bad setting or unreachable store stops the process with a clear message.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  if (process.env.NEXT_PHASE === "phase-production-build") return;
  const { start } = await import("@/lib/lifecycle.server");
  const stores = await start();
  // The gateway's lean HTTP handler, served before Next by scripts/server.mjs.
  const { installGateway } = await import("@/lib/gateway/install.server");
  await installGateway();
  // Evaluation runs are worked on by every app process (claims in Postgres; lib/evaluations).
  const { getEvaluationWorker } = await import("@/lib/evaluations/runtime.server");
  await getEvaluationWorker();
  // A sampled share of production inferences scored in the background (lib/runtime-evaluation).
  const { startRuntimeEvaluation } = await import("@/lib/runtime-evaluation/runtime.server");
  await startRuntimeEvaluation();
  // ClickHouse TTLs kept equal to [retention]; Postgres copies swept hourly (lib/retention).
  const { startRetention } = await import("@/lib/retention/runtime.server");
  await startRetention();
  // The demo workspace, composed here so that lib/demo imports no domain (each domain's seeder
  // imports only lib/demo/types). In the background: the server answers while the demo fills in.
  const { getEnv } = await import("@/lib/env.server");
  if (getEnv().LLMOPS_DEMO) {
    const { seedDemo } = await import("@/lib/demo/index.server");
    const seeders = await Promise.all([
      import("@/lib/gateway/demo.server").then((m) => m.gatewayDemoSeeder),
      import("@/lib/demo/tracking.server").then((m) => m.trackingSeeder),
      import("@/lib/labelling/demo.server").then((m) => m.labellingDemoSeeder),
      import("@/lib/evaluations/demo.server").then((m) => m.evaluationsDemoSeeder),
      import("@/lib/traces/demo.server").then((m) => m.tracesDemoSeeder),
    ]);
    void seedDemo(stores, seeders);
  }
}
