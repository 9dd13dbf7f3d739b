import { HydrationBoundary, dehydrate } from "@tanstack/react-query";
import type { Metadata } from "next";
import { CompareView } from "@/components/tracking/compare-view";
import { Breadcrumb } from "@/components/ui/breadcrumb";
import { PageHeader } from "@/components/ui/page-header";
import { historyInput } from "@/lib/experiments/api";
import { pageContext } from "@/lib/auth/page.server";
import { trackingContextOf } from "@/lib/tracking/context";
import { defaultChartKeys } from "@/lib/experiments/compare";
import { loadRunRows } from "@/lib/experiments/loaders.server";
import { loadHistory } from "@/lib/experiments/run-detail.server";
import { MAX_HISTORY_RUNS, chartState, compareState } from "@/lib/experiments/schemas";
import { makeQueryClient } from "@/lib/query/client";
import { queryKeys } from "@/lib/query/keys";
import { parseSearch, type SearchInput } from "@/lib/url/search-params";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Compare runs · Experiments" };

export default async function ComparePage({ searchParams }: { searchParams: Promise<SearchInput> }) {
  const search = await searchParams;
  const state = parseSearch(compareState, search);
  const chart = parseSearch(chartState, search);
  const runIds = state.runs.slice(0, MAX_HISTORY_RUNS);
  const ctx = trackingContextOf(await pageContext());
  const queryClient = makeQueryClient();
  if (runIds.length >= 2) {
    const runs = await loadRunRows(ctx, runIds);
    queryClient.setQueryData(queryKeys.compare(state.runs), { runs });
    const keys = defaultChartKeys(runs, state.m);
    if (keys.length) {
      const input = historyInput(
        runs.map((r) => r.runId),
        keys,
        chart.x,
      );
      await queryClient.prefetchQuery({ queryKey: queryKeys.runHistory(input), queryFn: () => loadHistory(ctx, input) });
    }
  }
  return (
    <>
      <Breadcrumb items={[{ label: "Experiments", href: "/experiments" }, { label: "Compare runs" }]} />
      <PageHeader
        title="Compare runs"
        description="Overlaid metric histories, parameters against a metric, any two columns, and what differs."
      />
      <HydrationBoundary state={dehydrate(queryClient)}>
        <CompareView />
      </HydrationBoundary>
    </>
  );
}
