import "server-only";
import type { QueryClient } from "@tanstack/react-query";
import { queryKeys } from "@/lib/query/keys";
import type { TrackingContext } from "@/lib/tracking/context";
import { getSessionView, getTraceView, listTracePage } from "./dashboard.server";
import { tracesApiUrl, type TracePageState } from "./schemas";

/** Server-side prefetch for the trace pages (the same functions the API routes call), on the page's context. */
export async function prefetchTraces(qc: QueryClient, ctx: TrackingContext, state: TracePageState) {
  await qc.prefetchQuery({ queryKey: queryKeys.traces(tracesApiUrl(state)), queryFn: async () => listTracePage(ctx, state) });
}

export async function prefetchTrace(qc: QueryClient, ctx: TrackingContext, id: string) {
  await qc.prefetchQuery({ queryKey: queryKeys.trace(id), queryFn: async () => getTraceView(ctx, id) });
}

export async function prefetchSession(qc: QueryClient, ctx: TrackingContext, id: string) {
  await qc.prefetchQuery({ queryKey: queryKeys.traceSession(id), queryFn: async () => getSessionView(ctx, id) });
}
