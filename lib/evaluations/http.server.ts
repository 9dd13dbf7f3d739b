import "server-only";
import type { RequestContext } from "@/lib/auth/context.server";
import { getGateway } from "@/lib/gateway/runtime.server";
import { getEvaluationWorker } from "./runtime.server";
import type { EvaluationsContext } from "./runs.server";
import type { RunView } from "./schemas";

/** The request context's stores, as the evaluation services take them. */
export function evaluationsContextOf(ctx: Pick<RequestContext, "stores">): EvaluationsContext {
  return { db: ctx.stores.postgres.db, clickhouse: ctx.stores.clickhouse.client };
}

/** The gateway's config, as the process serves it. */
export async function gatewayConfig() {
  return (await getGateway()).config;
}

/** Tells this process's worker to look for work now rather than at its next poll. */
export async function kickWorker(): Promise<void> {
  (await getEvaluationWorker()).kick();
}

/** What the audit log keeps of a run it records: what it evaluates and its state, not its results. */
export function runFacts(run: RunView) {
  return {
    name: run.name,
    function: run.function,
    status: run.status,
    source: run.source,
    dataset: run.dataset,
    candidates: run.candidates.map((c) => c.key),
  };
}
