import { HydrationBoundary, dehydrate } from "@tanstack/react-query";
import type { Metadata } from "next";
import { sectionFor } from "@/components/layout/sections";
import { ExperimentsList } from "@/components/tracking/experiments-list";
import { CreateEntityButton } from "@/components/tracking/entity-editor";
import { PageHeader } from "@/components/ui/page-header";
import { pageContext } from "@/lib/auth/page.server";
import { trackingContextOf } from "@/lib/tracking/context";
import { listExperimentSummaries } from "@/lib/experiments/loaders.server";
import { experimentsState } from "@/lib/experiments/schemas";
import { makeQueryClient } from "@/lib/query/client";
import { queryKeys } from "@/lib/query/keys";
import { parseSearch, type SearchInput } from "@/lib/url/search-params";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: sectionFor("/experiments").label };

export default async function ExperimentsPage({ searchParams }: { searchParams: Promise<SearchInput> }) {
  const state = parseSearch(experimentsState, await searchParams);
  const queryClient = makeQueryClient();
  const ctx = trackingContextOf(await pageContext());
  await queryClient.prefetchQuery({ queryKey: queryKeys.experiments(state), queryFn: () => listExperimentSummaries(ctx, state) });
  const section = sectionFor("/experiments");
  return (
    <>
      <PageHeader title={section.label} description={section.description} actions={<CreateEntityButton kind="experiment" />} />
      <HydrationBoundary state={dehydrate(queryClient)}>
        <ExperimentsList />
      </HydrationBoundary>
    </>
  );
}
