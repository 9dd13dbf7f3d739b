import "server-only";
import { getGateway } from "@/lib/gateway/runtime.server";
import { onShutdown } from "@/lib/lifecycle.server";
import { getStores } from "@/lib/stores/index.server";
import { EvaluationWorker } from "./worker.server";

// One worker per process, shared by Next's bundles and the lean server (like the stores).
const KEY = Symbol.for("llmops.evaluations.worker");
type Holder = { [KEY]?: Promise<EvaluationWorker> };

/** The process's evaluation worker, started on first use; it finishes or gives back its units on shutdown. */
export function getEvaluationWorker(): Promise<EvaluationWorker> {
  const holder = globalThis as Holder;
  holder[KEY] ??= (async () => {
    const stores = await getStores();
    const worker = new EvaluationWorker({ db: stores.postgres.db, clickhouse: stores.clickhouse.client }, getGateway, {
      log: (message) => console.warn(`[llmops] ${message}`),
    });
    worker.start();
    onShutdown("evaluation worker", () => worker.stop());
    return worker;
  })().catch((error: unknown) => {
    delete holder[KEY];
    throw error;
  });
  return holder[KEY];
}
