import { HydrationBoundary, dehydrate } from "@tanstack/react-query";
import type { Metadata } from "next";
import Link from "next/link";
import { RunsView } from "@/components/tracking/runs-table";
import { EmptyState } from "@/components/ui/empty-state";
import { Breadcrumb } from "@/components/ui/breadcrumb";
import { PageHeader } from "@/components/ui/page-header";
import { pageContext } from "@/lib/auth/page.server";
import { trackingContextOf } from "@/lib/tracking/context";
import { listExperimentSummaries } from "@/lib/experiments/loaders.server";
import { prefetchRuns } from "@/lib/experiments/prefetch.server";
import { runsState } from "@/lib/experiments/schemas";
import { makeQueryClient } from "@/lib/query/client";
import { parseSearch, type SearchInput } from "@/lib/url/search-params";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Runs · Experiments" };

/** Runs of several experiments in one table (`?exp=1&exp=2`). */
export default async function RunsPage({ searchParams }: { searchParams: Promise<SearchInput> }) {
  const state = parseSearch(runsState, await searchParams);
  const ctx = trackingContextOf(await pageContext());
  const queryClient = makeQueryClient();
  const [{ experiments }] = await Promise.all([
    listExperimentSummaries(ctx, { q: "", view: "all", sort: "name", dir: "asc" }),
    state.exp.length ? prefetchRuns(queryClient, ctx, state) : Promise.resolve(),
  ]);
  const names = state.exp.map((id) => experiments.find((e) => e.experimentId === id)?.name ?? `#${id}`);
  return (
    <>
      <Breadcrumb items={[{ label: "Experiments", href: "/experiments" }, { label: "Runs" }]} />
      <PageHeader title="Runs" description={names.length ? `Runs of ${names.join(", ")}` : undefined} />
      {state.exp.length === 0 ? (
        <EmptyState title="No experiment chosen">
          <p>
            Select experiments on the{" "}
            <Link href="/experiments" className="underline">
              experiments list
            </Link>{" "}
            to see their runs together.
          </p>
        </EmptyState>
      ) : (
        <HydrationBoundary state={dehydrate(queryClient)}>
          <RunsView />
        </HydrationBoundary>
      )}
    </>
  );
}
