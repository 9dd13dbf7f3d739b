import "server-only";
import type { QueryClient } from "@tanstack/react-query";
import { runsPageKey } from "@/lib/experiments/api";
import { queryKeys } from "@/lib/query/keys";
import type { TrackingContext } from "@/lib/tracking/context";
import { listColumnKeys, listRunsPage } from "./loaders.server";
import type { RunsState } from "./schemas";

/** Prefetches what the runs table shows first: its page of runs and the column keys. */
export async function prefetchRuns(queryClient: QueryClient, ctx: TrackingContext, state: RunsState): Promise<void> {
  const key = runsPageKey(state);
  await Promise.all([
    queryClient.prefetchQuery({ queryKey: queryKeys.runs(key), queryFn: () => listRunsPage(ctx, { ...key, experimentIds: key.exp }) }),
    queryClient.prefetchQuery({ queryKey: queryKeys.runColumns(state.exp), queryFn: () => listColumnKeys(ctx, state.exp) }),
  ]);
}
