import { HydrationBoundary, dehydrate } from "@tanstack/react-query";
import type { Metadata } from "next";
import { sectionFor } from "@/components/layout/sections";
import { CreateRegisteredForm } from "@/components/registry/registry-actions";
import { RegistryList } from "@/components/registry/registry-list";
import { PageHeader } from "@/components/ui/page-header";
import { pageContext } from "@/lib/auth/page.server";
import { trackingContextOf } from "@/lib/tracking/context";
import { makeQueryClient } from "@/lib/query/client";
import { queryKeys } from "@/lib/query/keys";
import { listRegistry } from "@/lib/registry/dashboard.server";
import { registryListState } from "@/lib/registry/dashboard-schemas";
import { parseSearch, type SearchInput } from "@/lib/url/search-params";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: sectionFor("/registry").label };

export default async function RegistryPage({ searchParams }: { searchParams: Promise<SearchInput> }) {
  const state = parseSearch(registryListState, await searchParams);
  const queryClient = makeQueryClient();
  const ctx = trackingContextOf(await pageContext());
  await queryClient.prefetchQuery({ queryKey: queryKeys.registry(state), queryFn: () => listRegistry(ctx, state) });
  const section = sectionFor("/registry");
  return (
    <>
      <PageHeader title={section.label} description={section.description} />
      <div className="mb-4">
        <CreateRegisteredForm initialKind={state.kind} />
      </div>
      <HydrationBoundary state={dehydrate(queryClient)}>
        <RegistryList />
      </HydrationBoundary>
    </>
  );
}
