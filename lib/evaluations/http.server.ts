import "server-only";
import { getGateway } from "@/lib/gateway/runtime.server";
import { getStores } from "@/lib/stores/index.server";
import { getEvaluationWorker } from "./runtime.server";
import type { EvaluationsContext } from "./runs.server";

/** Both stores of this process, as the evaluation services take them. */
export async function evaluationsContext(): Promise<EvaluationsContext> {
  const stores = await getStores();
  return { db: stores.postgres.db, clickhouse: stores.clickhouse.client };
}

/** The gateway's config, as the process serves it. */
export async function gatewayConfig() {
  return (await getGateway()).config;
}

/** Tells this process's worker to look for work now rather than at its next poll. */
export async function kickWorker(): Promise<void> {
  (await getEvaluationWorker()).kick();
}
