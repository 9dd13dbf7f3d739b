import "server-only";
import { getGateway } from "@/lib/gateway/runtime.server";
import { onShutdown } from "@/lib/lifecycle.server";
import { getStores } from "@/lib/stores/index.server";
import { RuntimeEvaluationWorker } from "./worker.server";

const KEY = Symbol.for("llmops.runtime-evaluation.worker");
type Holder = { [KEY]?: Promise<RuntimeEvaluationWorker | null> };

/** The process's runtime evaluation worker, started when a function declares runtime evaluation (null otherwise). */
export function startRuntimeEvaluation(): Promise<RuntimeEvaluationWorker | null> {
  const holder = globalThis as Holder;
  holder[KEY] ??= (async () => {
    const gateway = await getGateway();
    if (!Object.values(gateway.config.functions).some((f) => f.runtime_evaluation)) return null;
    const stores = await getStores();
    const worker = new RuntimeEvaluationWorker({ db: stores.postgres.db, clickhouse: stores.clickhouse.client }, getGateway, {
      log: (message) => console.warn(`[llmops] ${message}`),
    });
    worker.start();
    onShutdown("runtime evaluation worker", () => worker.stop());
    return worker;
  })().catch((error: unknown) => {
    delete holder[KEY];
    throw error;
  });
  return holder[KEY];
}
