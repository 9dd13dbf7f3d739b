import "server-only";
import type { QueryClient } from "@tanstack/react-query";
import { queryKeys } from "@/lib/query/keys";
import { getStores } from "@/lib/stores/index.server";
import type { TrackingContext } from "@/lib/tracking/context";
import { getSessionView, getTraceView, listTracePage } from "./dashboard.server";
import { tracesApiUrl, type TracePageState } from "./schemas";

/** Server-side prefetch for the trace pages (the same functions the API routes call). */
async function context(): Promise<TrackingContext> {
  const stores = await getStores();
  return { db: stores.postgres.db, clickhouse: stores.clickhouse.client };
}

export async function prefetchTraces(qc: QueryClient, state: TracePageState) {
  await qc.prefetchQuery({ queryKey: queryKeys.traces(tracesApiUrl(state)), queryFn: async () => listTracePage(await context(), state) });
}

export async function prefetchTrace(qc: QueryClient, id: string) {
  await qc.prefetchQuery({ queryKey: queryKeys.trace(id), queryFn: async () => getTraceView(await context(), id) });
}

export async function prefetchSession(qc: QueryClient, id: string) {
  await qc.prefetchQuery({ queryKey: queryKeys.traceSession(id), queryFn: async () => getSessionView(await context(), id) });
}
