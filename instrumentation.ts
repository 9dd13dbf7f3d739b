/**
 * Runs once when a Next.js server process starts: opens both stores, applies migrations, and
 * installs graceful shutdown (scripts/start.mjs sets NEXT_MANUAL_SIG_HANDLE so Next leaves the
 * signals to us). A bad setting or unreachable store stops the process with a clear message.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  if (process.env.NEXT_PHASE === "phase-production-build") return;
  const { start } = await import("@/lib/lifecycle.server");
  await start();
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
}
